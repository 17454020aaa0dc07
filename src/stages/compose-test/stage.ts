import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ComposeTestOptions } from "../../options/compose-test.js";
import { cleanupImages, imageOverride } from "../../rules/compose/index.js";
import { formatDuration } from "../../rules/format.js";
import { relativeToWorkspace } from "../../rules/paths.js";
import { capFindings } from "../../rules/report/cap-findings.js";
import { removeWrittenFolder } from "../../runtime/data-folders.js";
import { RUN_LABEL } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";
import { StateKey } from "../../runtime/state.js";
import type { StageOutcome, StageRuntime } from "../stage-contract.js";
import { ProjectTracker } from "./cleanup.js";
import { renderJUnitReport, renderSummaryTable } from "./report.js";
import {
  countResults,
  fileFindings,
  formatCounts,
  formatFileReport,
  type ResultCounts,
  runSucceeded,
  type SpecFileResult,
} from "./results.js";
import { planRun, type RunPlan } from "./run-plan.js";
import { runSpecFile } from "./spec-run.js";
import type { SpecRunShared } from "./spec-run-shared.js";

export { cleanUpComposeTest } from "./cleanup.js";

/** GitHub shows about ten error annotations per step; the rest are in the log and the JUnit file. */
const MAX_ANNOTATIONS = 20;

/**
 * The stage contract's runtime, with compose-test's seams. Its state records
 * the run label and the projects that are up, for the post step (or the
 * CLI's cleanup); its signal (SIGTERM/SIGINT) starts no new environment and
 * tears down the running ones.
 */
export interface ComposeTestRuntime extends StageRuntime {
  /** What `${{ env.NAME }}` reads (the `env` input is laid over it); default this process's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The random part of project names; replaceable in tests. */
  random?: () => string;
}

/** ok: no environment problem and no failed test (continue-on-error failures aside). */
export interface ComposeTestResult extends StageOutcome {
  /** The value of the `io.goflow.run` label on everything this run created. */
  runLabel: string;
  files: SpecFileResult[];
  counts: ResultCounts;
  /** The JUnit XML file (always written). */
  junitReport: string;
  /** Where the compose logs of failed environments are. */
  logsDir: string;
}

/**
 * The compose-test stage: finds and validates every spec file (and the
 * compose model they refer to) before any container starts, then runs each
 * file in its own compose project, `parallel` at a time, and reports: a
 * Pass/Fail line per test, an annotation per failed matcher, the job summary,
 * a JUnit file and the logs of failed environments.
 */
export async function runComposeTestStage(
  options: ComposeTestOptions,
  runtime: ComposeTestRuntime,
): Promise<ComposeTestResult> {
  const { reporter, docker, context } = runtime;
  const signal = runtime.signal ?? new AbortController().signal;
  await docker.ensureReachable();
  const plan = await planRun(options, runtime);
  const folders = createRunFolders(options, context, plan.runLabel);
  runtime.state.save(StateKey.composeRunLabel, plan.runLabel);
  runtime.state.save(StateKey.composeTempDir, folders.tempDir);
  runtime.state.save(
    StateKey.composeCleanupImages,
    JSON.stringify(cleanupImages(plan.model.config, plan.dataFolders)),
  );
  announceRun(plan, options, runtime);
  const files = await runEnvironments(plan, folders, options, { ...runtime, signal });
  await reportRun(files, plan, folders.junitReport, reporter);
  const counts = countResults(files);
  const status = signal.aborted ? "cancelled" : runSucceeded(files) ? "ok" : "failure";
  const { junitReport, logsDir } = folders;
  return {
    status,
    failure: describeUnsuccessfulRun({ status, files, counts, junitReport }),
    runLabel: plan.runLabel,
    files,
    counts,
    junitReport,
    logsDir,
  };
}

interface RunFolders {
  logsDir: string;
  junitReport: string;
  /** Holds a folder per project (its compose file and data-folder copies); removed at the end. */
  tempDir: string;
}

function createRunFolders(options: ComposeTestOptions, context: RunContext, runLabel: string): RunFolders {
  const logsDir = options.logsDir ?? join(context.tempDir, "goflow-compose-test", runLabel, "logs");
  const junitReport =
    options.junitReport ?? join(context.tempDir, "goflow-compose-test", runLabel, "junit.xml");
  mkdirSync(logsDir, { recursive: true });
  mkdirSync(context.tempDir, { recursive: true });
  return { logsDir, junitReport, tempDir: mkdtempSync(join(context.tempDir, "goflow-compose-")) };
}

function announceRun(plan: RunPlan, options: ComposeTestOptions, runtime: ComposeTestRuntime): void {
  const { reporter, context } = runtime;
  const count = plan.specs.length;
  reporter.info(
    `${count} spec file${count === 1 ? "" : "s"}, up to ${options.parallel} at a time; run label ${RUN_LABEL}=${plan.runLabel}`,
  );
  for (const warning of plan.model.warnings) reporter.warning(warning);
  for (const folder of plan.dataFolders) {
    reporter.info(
      `${relativeToWorkspace(context.workspace, folder.source)} (mounted read-write by ${folder.services.join(", ")}): every environment gets ${folder.copy ? "its own copy" : "an empty folder of its own"}`,
    );
  }
}

/** Every spec file in its own environment, `parallel` at a time; then the run's temp folder goes (unless kept). */
async function runEnvironments(
  plan: RunPlan,
  folders: RunFolders,
  options: ComposeTestOptions,
  runtime: ComposeTestRuntime & { signal: AbortSignal },
): Promise<SpecFileResult[]> {
  const { reporter, docker } = runtime;
  const projects = new ProjectTracker(runtime.state);
  const files: SpecFileResult[] = [];
  try {
    const shared: SpecRunShared = {
      options,
      docker,
      reporter,
      context: runtime.context,
      runLabel: plan.runLabel,
      config: plan.model.config,
      plainFiles: options.isolate ? [] : plainComposeFiles(options, folders.tempDir),
      dataFolders: plan.dataFolders,
      fixedSubnets: plan.fixedSubnets,
      reservedSubnets: new Set(),
      tempDir: folders.tempDir,
      logsDir: folders.logsDir,
      env: plan.env,
      signal: runtime.signal,
      random: runtime.random ?? (() => randomBytes(3).toString("hex")),
      projectStarting: (project) => projects.add(project),
      projectGone: (project) => projects.remove(project),
      projectKept: (project) => projects.keep(project),
    };
    const results = await runWithLimit(plan.specs, options.parallel, async (spec) => {
      const result = await runSpecFile(spec, shared);
      // Printed whole as each file finishes, so lines of files running side by side never interleave.
      reporter.info(formatFileReport(result));
      return result;
    });
    files.push(...results);
  } finally {
    if (files.some((file) => file.kept)) {
      reporter.info(`kept ${folders.tempDir} (the compose files and data folders of the kept environments)`);
    } else {
      const images = cleanupImages(plan.model.config, plan.dataFolders);
      const warning = await removeWrittenFolder(docker, folders.tempDir, images, plan.runLabel);
      if (warning !== undefined) reporter.warning(warning);
    }
  }
  return files;
}

/** The JUnit file, capped annotations, the job summary and the closing line. */
async function reportRun(
  files: readonly SpecFileResult[],
  plan: RunPlan,
  junitReport: string,
  reporter: Reporter,
): Promise<void> {
  const counts = countResults(files);
  mkdirSync(dirname(junitReport), { recursive: true });
  writeFileSync(junitReport, renderJUnitReport([...files]));
  const findings = files.flatMap(fileFindings);
  for (const finding of capFindings(
    findings,
    MAX_ANNOTATIONS,
    (rest) => `${rest} more failed assertions: see the log and ${junitReport}`,
  )) {
    reporter.annotate(finding);
  }
  await reporter.appendSummary(renderSummaryTable([...files], counts, plan.model.warnings));
  const longestMs = files.reduce((max, file) => Math.max(max, file.durationMs), 0);
  reporter.info(
    `${formatCounts(counts)} (${files.length} environment${files.length === 1 ? "" : "s"}, longest ${formatDuration(longestMs)})`,
  );
}

/** The action's outputs. */
export function composeTestOutputs(result: ComposeTestResult): Record<string, string> {
  return {
    passed: String(result.counts.passed),
    failed: String(result.counts.failed),
    skipped: String(result.counts.skipped),
    total: String(result.counts.total),
    report: result.junitReport,
    "logs-dir": result.logsDir,
    "run-label": result.runLabel,
  };
}

/** Why the step fails, or undefined when it passes. */
function describeUnsuccessfulRun(
  result: Pick<ComposeTestResult, "status" | "files" | "counts" | "junitReport">,
): string | undefined {
  if (result.status === "cancelled")
    return `cancelled after ${formatCounts(result.counts)}; the environments were torn down`;
  if (result.status === "ok") return undefined;
  const broken = result.files.filter((file) => file.problem !== undefined).map((file) => file.file);
  const environments = broken.length > 0 ? `; environment failed: ${broken.join(", ")}` : "";
  return `${result.counts.failed} of ${result.counts.total} tests failed${environments} (see the annotations and ${result.junitReport})`;
}

/** The files of `isolate: false`: the user's, plus an override file for `images`. */
function plainComposeFiles(options: ComposeTestOptions, tempDir: string): string[] {
  const plainFiles = [...options.composeFiles];
  if (options.isolate || Object.keys(options.images).length === 0) return plainFiles;
  const override = join(tempDir, "images.compose.json");
  writeFileSync(override, `${JSON.stringify(imageOverride(options.images), null, 2)}\n`);
  return [...plainFiles, override];
}

/** Runs `fn` over `items`, at most `limit` at once, results in the order of `items`. */
async function runWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
