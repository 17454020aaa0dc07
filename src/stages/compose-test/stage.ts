import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigurationError, formatLocation } from "../../errors.js";
import {
  type ComposeConfig,
  checkTargetsExist,
  cleanupImages,
  composeServiceNames,
  describeMissingService,
  execReferences,
  fixedSubnets,
  imageOverride,
  isolateComposeConfig,
  listProjectBindMounts,
  planDataFolders,
  selectShard,
  serviceProfiles,
} from "../../rules/compose/index.js";
import { formatDuration } from "../../rules/format.js";
import { relativeToWorkspace } from "../../rules/paths.js";
import { capFindings } from "../../rules/report/cap-findings.js";
import { listEnvReferences } from "../../rules/spec/interpolation.js";
import { parseSpec } from "../../rules/spec/parse-spec.js";
import { specTargets } from "../../rules/spec/spec.js";
import { SpecError, type SpecProblem } from "../../rules/spec/spec-reader.js";
import { loadComposeConfig, tearDownComposeProject } from "../../runtime/compose.js";
import { inspectBindSources, removeWrittenFolder } from "../../runtime/data-folders.js";
import { createRunId, type Docker, RUN_LABEL } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";
import { StateKey, type StateStore } from "../../runtime/state.js";
import type { ComposeTestOptions } from "./options.js";
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
import { findFiles } from "./spec-files.js";
import { runSpecFile } from "./spec-run.js";
import type { LoadedSpec, SpecRunShared } from "./spec-run-shared.js";

/** GitHub shows about ten error annotations per step; the rest are in the log and the JUnit file. */
const MAX_ANNOTATIONS = 20;

export interface ComposeTestRuntime {
  reporter: Reporter;
  docker: Docker;
  context: RunContext;
  /** Records the run label and the projects that are up, for the post step (or the CLI's cleanup). */
  state: StateStore;
  /** Aborted on SIGTERM/SIGINT: no new environment starts, the running ones are torn down. */
  signal?: AbortSignal;
  /** What `${{ env.NAME }}` reads (the `env` input is laid over it); default this process's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The random part of project names; replaceable in tests. */
  random?: () => string;
}

export interface ComposeTestResult {
  /** The value of the `io.goflow.run` label on everything this run created. */
  runLabel: string;
  files: SpecFileResult[];
  counts: ResultCounts;
  /** No environment problem and no failed test (continue-on-error failures aside). */
  succeeded: boolean;
  cancelled: boolean;
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

  const specFiles = selectSpecFiles(options, reporter);
  const specs = parseSpecFiles(specFiles, options.workingDirectory, context.workspace, reporter);
  const config = await loadComposeConfig(docker, {
    files: options.composeFiles,
    projectDirectory: options.workingDirectory,
    env: options.env,
  });
  checkSpecsAgainstCompose(specs, config, options, await inactiveServices(specs, config, docker, options));
  const env = { ...(runtime.env ?? process.env), ...options.env };
  checkEnvReferences(specs, env, reporter);
  const mounts = listProjectBindMounts(config, options.workingDirectory);
  const dataFolders = planDataFolders(mounts, inspectBindSources(mounts), (source) =>
    relativeToWorkspace(context.workspace, source),
  );
  const subnets = options.isolate ? fixedSubnets(config) : [];
  const runLabel = createRunId({ runId: context.runId, runAttempt: context.runAttempt });
  const model = isolateModel(config, options, runLabel, reporter);

  const logsDir = options.logsDir ?? join(context.tempDir, "goflow-compose-test", runLabel, "logs");
  const junitReport =
    options.junitReport ?? join(context.tempDir, "goflow-compose-test", runLabel, "junit.xml");
  mkdirSync(logsDir, { recursive: true });
  mkdirSync(context.tempDir, { recursive: true });
  const tempDir = mkdtempSync(join(context.tempDir, "goflow-compose-"));
  runtime.state.save(StateKey.composeRunLabel, runLabel);
  runtime.state.save(StateKey.composeTempDir, tempDir);
  reporter.info(
    `${specs.length} spec file${specs.length === 1 ? "" : "s"}, up to ${options.parallel} at a time; run label ${RUN_LABEL}=${runLabel}`,
  );

  const projects = new ProjectTracker(runtime.state);
  const files: SpecFileResult[] = [];
  for (const warning of model.warnings) reporter.warning(warning);
  const isolatedFolders = options.isolate ? dataFolders : [];
  runtime.state.save(
    StateKey.composeCleanupImages,
    JSON.stringify(cleanupImages(model.config, isolatedFolders)),
  );
  for (const folder of isolatedFolders) {
    reporter.info(
      `${relativeToWorkspace(context.workspace, folder.source)} (mounted read-write by ${folder.services.join(", ")}): every environment gets ${folder.copy ? "its own copy" : "an empty folder of its own"}`,
    );
  }
  try {
    const shared: SpecRunShared = {
      options,
      docker,
      reporter,
      context,
      runLabel,
      config: model.config,
      plainFiles: options.isolate ? [] : plainComposeFiles(options, tempDir),
      dataFolders: isolatedFolders,
      fixedSubnets: subnets,
      reservedSubnets: new Set(),
      tempDir,
      logsDir,
      env,
      signal,
      random: runtime.random ?? (() => randomBytes(3).toString("hex")),
      projectStarting: (project) => projects.add(project),
      projectGone: (project) => projects.remove(project),
      projectKept: (project) => projects.keep(project),
    };
    const results = await runWithLimit(specs, options.parallel, async (spec) => {
      const result = await runSpecFile(spec, shared);
      // Printed whole as each file finishes, so lines of files running side by side never interleave.
      reporter.info(formatFileReport(result));
      return result;
    });
    files.push(...results);
  } finally {
    if (files.some((file) => file.kept)) {
      reporter.info(`kept ${tempDir} (the compose files and data folders of the kept environments)`);
    } else {
      const images = cleanupImages(model.config, isolatedFolders);
      const warning = await removeWrittenFolder(docker, tempDir, images, runLabel);
      if (warning !== undefined) reporter.warning(warning);
    }
  }

  const counts = countResults(files);
  const cancelled = signal.aborted;
  mkdirSync(dirname(junitReport), { recursive: true });
  writeFileSync(junitReport, renderJUnitReport(files));
  const findings = files.flatMap(fileFindings);
  for (const finding of capFindings(
    findings,
    MAX_ANNOTATIONS,
    (rest) => `${rest} more failed assertions: see the log and ${junitReport}`,
  )) {
    reporter.annotate(finding);
  }
  await reporter.appendSummary(renderSummaryTable(files, counts, model.warnings));
  const totalMs = files.reduce((max, file) => Math.max(max, file.durationMs), 0);
  reporter.info(
    `${formatCounts(counts)} (${files.length} environment${files.length === 1 ? "" : "s"}, longest ${formatDuration(totalMs)})`,
  );
  return {
    runLabel,
    files,
    counts,
    succeeded: !cancelled && runSucceeded(files),
    cancelled,
    junitReport,
    logsDir,
  };
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
export function describeUnsuccessfulRun(result: ComposeTestResult): string | undefined {
  if (result.cancelled)
    return `cancelled after ${formatCounts(result.counts)}; the environments were torn down`;
  if (result.succeeded) return undefined;
  const broken = result.files.filter((file) => file.problem !== undefined).map((file) => file.file);
  const environments = broken.length > 0 ? `; environment failed: ${broken.join(", ")}` : "";
  return `${result.counts.failed} of ${result.counts.total} tests failed${environments} (see the annotations and ${result.junitReport})`;
}

/** The spec files this job runs: the `tests` globs, then its shard. */
function selectSpecFiles(options: ComposeTestOptions, reporter: Reporter): string[] {
  const matched = findFiles(options.workingDirectory, options.tests);
  if (matched.length === 0) {
    throw new ConfigurationError(
      `no spec files match tests '${options.tests.join(", ")}' in ${options.workingDirectory}; check the tests input (globs relative to working-directory)`,
    );
  }
  if (options.shard === undefined) return matched;
  const selected = selectShard(matched, options.shard);
  const { index, total } = options.shard;
  if (selected.length === 0) {
    throw new ConfigurationError(
      `shard ${index}/${total} has no spec files: only ${matched.length} file${matched.length === 1 ? "" : "s"} matched; use at most ${matched.length} shards`,
    );
  }
  reporter.info(`shard ${index}/${total}: ${selected.join(", ")}`);
  return selected;
}

/**
 * Parses every spec file before anything starts. All problems of all files
 * are annotated at their lines; the error that fails the run lists them.
 */
function parseSpecFiles(
  files: readonly string[],
  workingDirectory: string,
  workspace: string,
  reporter: Reporter,
): LoadedSpec[] {
  const specs: LoadedSpec[] = [];
  const problems: SpecProblem[] = [];
  const invalidFiles: string[] = [];
  for (const file of files) {
    const path = join(workingDirectory, file);
    const display = relativeToWorkspace(workspace, path);
    try {
      specs.push({ spec: parseSpec(readFileSync(path, "utf8"), display), file: display });
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      invalidFiles.push(display);
      if (error instanceof SpecError) {
        problems.push(...error.problems);
      } else {
        const location = error.location ?? { file: display };
        const prefix = `${formatLocation(location)}: `;
        const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
        problems.push({ message, location });
      }
    }
  }
  if (problems.length === 0) return specs;
  for (const problem of problems) {
    reporter.annotate({
      severity: "error",
      title: "compose-test: invalid spec",
      message: problem.message,
      location: problem.location,
    });
  }
  // Annotated one by one above; the error says how many and repeats the first, without a location of its own.
  const first = problems[0]!;
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  throw new ConfigurationError(
    `invalid spec file${invalidFiles.length > 1 ? "s" : ""} ${invalidFiles.join(", ")}: ${formatLocation(first.location)}: ${first.message}${more}`,
  );
}

/**
 * Every `${{ env.NAME }}` of every spec must be set (by the `env` input or the
 * environment) before anything starts: each missing one is annotated at its
 * line, the error names the first.
 */
function checkEnvReferences(
  specs: readonly LoadedSpec[],
  env: Readonly<Record<string, string | undefined>>,
  reporter: Reporter,
): void {
  const missing = specs.flatMap(({ spec }) =>
    listEnvReferences(spec).filter(({ name }) => env[name] === undefined),
  );
  if (missing.length === 0) return;
  const message = (name: string) =>
    `\${{ env.${name} }} is not set: set ${name} in the env input (or the step's environment)`;
  for (const { name, location } of missing) {
    reporter.annotate({
      severity: "error",
      title: "compose-test: invalid spec",
      message: message(name),
      location,
    });
  }
  const first = missing[0]!;
  const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : "";
  throw new ConfigurationError(`${formatLocation(first.location)}: ${message(first.name)}${more}`);
}

/**
 * The services the specs name that the model lacks but a disabled profile has,
 * with their profiles (compose's config with every profile enabled is only
 * read when some service is missing).
 */
async function inactiveServices(
  specs: readonly LoadedSpec[],
  config: ComposeConfig,
  docker: Docker,
  options: ComposeTestOptions,
): Promise<Map<string, string[]>> {
  const named = specs.flatMap(({ spec }) => specTargets(spec).map((reference) => reference.service));
  if (named.every((service) => Object.hasOwn(config.services, service))) return new Map();
  const all = await loadComposeConfig(
    docker,
    { files: options.composeFiles, projectDirectory: options.workingDirectory, env: options.env },
    { allProfiles: true },
  ).catch(() => undefined);
  return all === undefined ? new Map() : serviceProfiles(all);
}

/** Every target and exec service a spec names must be a service of the compose model. */
function checkSpecsAgainstCompose(
  specs: readonly LoadedSpec[],
  config: ComposeConfig,
  options: ComposeTestOptions,
  inactive: ReadonlyMap<string, readonly string[]>,
): void {
  const services = composeServiceNames(config);
  for (const { spec } of specs) {
    const targets = specTargets(spec).flatMap((reference) =>
      reference.role === "target" && reference.port !== undefined
        ? [{ service: reference.service, port: reference.port, location: reference.location }]
        : [],
    );
    checkTargetsExist(targets, services, inactive);
    for (const reference of execReferences(spec)) {
      if (services.includes(reference.service)) continue;
      throw new ConfigurationError(
        describeMissingService(reference.service, "an exec step", services, inactive),
        reference.location,
      );
    }
  }
  for (const service of Object.keys(options.images)) {
    if (services.includes(service)) continue;
    throw new ConfigurationError(
      `images names service '${service}', which is not in the compose config (services: ${services.join(", ")}); use one of those names`,
    );
  }
}

/**
 * The isolated model (shared by every file) and what isolation could not
 * isolate, or the model as loaded. Throws the ConfigurationErrors of
 * isolation (an external network under external-networks: error).
 */
function isolateModel(
  loaded: ComposeConfig,
  options: ComposeTestOptions,
  runLabel: string,
  reporter: Reporter,
): { config: ComposeConfig; warnings: string[] } {
  if (!options.isolate) return { config: loaded, warnings: [] };
  const isolated = isolateComposeConfig(loaded, {
    runLabel: { key: RUN_LABEL, value: runLabel },
    images: options.images,
    externalNetworks: options.externalNetworks,
  });
  for (const change of isolated.changes) reporter.debug(`isolate: ${change}`);
  return { config: isolated.config, warnings: isolated.warnings };
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

/** Keeps the post step's list of compose projects current: saved before each `up`, dropped after `down`. */
class ProjectTracker {
  private readonly active = new Set<string>();
  private readonly kept = new Set<string>();
  constructor(private readonly state: StateStore) {}
  add(project: string): void {
    this.active.add(project);
    this.save();
  }
  remove(project: string): void {
    this.active.delete(project);
    this.save();
  }
  keep(project: string): void {
    this.kept.add(project);
    this.state.save(StateKey.composeKeptProjects, JSON.stringify([...this.kept]));
  }
  private save(): void {
    this.state.save(StateKey.composeProjects, JSON.stringify([...this.active]));
  }
}

/**
 * The post step (and the CLI after a run): `down` for every project main
 * left behind, then everything that still carries the run label. Environments
 * kept by keep-on-failure stay. Never throws: problems are warnings.
 */
export async function cleanUpComposeTest(
  docker: Docker,
  state: StateStore,
  reporter: Reporter,
): Promise<void> {
  const runLabel = state.get(StateKey.composeRunLabel);
  if (!runLabel) return;
  const projects = readJsonList(state.get(StateKey.composeProjects));
  const kept = new Set(readJsonList(state.get(StateKey.composeKeptProjects)));
  for (const project of projects.filter((p) => !kept.has(p))) {
    // What post finds was left by a cancelled or crashed run: killed, like a cancelled run's own.
    const down = await tearDownComposeProject(docker, { project }, { stopTimeoutSeconds: 0 });
    if (down.exitCode === 0) reporter.info(`removed compose project ${project}`);
    else
      reporter.warning(
        `could not remove compose project ${project}: ${down.stderr.trim().split("\n").pop() ?? ""}`,
      );
  }
  if (kept.size > 0) {
    reporter.info(
      `kept for debugging (keep-on-failure): ${[...kept].join(", ")}; remove with docker compose -p <project> down --volumes --remove-orphans`,
    );
    return;
  }
  const swept = await docker.removeLabelled(runLabel);
  const tempDir = state.get(StateKey.composeTempDir);
  if (tempDir && existsSync(tempDir)) {
    const images = readJsonList(state.get(StateKey.composeCleanupImages));
    const warning = await removeWrittenFolder(docker, tempDir, images, runLabel);
    if (warning === undefined) reporter.info(`removed ${tempDir}`);
    else reporter.warning(`cleanup: ${warning}`);
  }
  // After the folders: a cleanup container may have needed one of the built images.
  const images = await docker.removeLabelledImages(runLabel);
  const removed = swept.removed.length + images.removed.length;
  if (removed > 0) reporter.info(`removed ${removed} leftover resources labelled ${RUN_LABEL}=${runLabel}`);
  for (const error of [...swept.errors, ...images.errors]) reporter.warning(`cleanup: ${error}`);
}

function readJsonList(text: string): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}
