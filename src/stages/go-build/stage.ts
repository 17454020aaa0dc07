import { mkdtempSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { BUILTIN_NETWORKS, type BuildOptions } from "../../options/go-build.js";
import { formatBytes, formatDuration, plural } from "../../rules/format.js";
import { type GoTestTotals, goCacheAllowed, stageBuildTargets } from "../../rules/go/index.js";
import {
  type BuildStepName,
  type BuildStepRecord,
  renderBuildSummary,
} from "../../rules/report/build-summary.js";
import { createRunId } from "../../runtime/docker.js";
import { GoContainer } from "../../runtime/go-container.js";
import { HeldReporter, type Reporter } from "../../runtime/reporter.js";
import {
  openArtifactStore,
  type StageOutcome,
  type StageRuntime,
  settleCancelled,
} from "../stage-contract.js";
import {
  askGoVersion,
  currentUser,
  ensureBuilderImage,
  type PreparedFolders,
  prepareFolders,
  writeNetrc,
} from "./builder.js";
import { restoreGoCache } from "./cache.js";
import { StepFailure } from "./go-commands.js";
import { type BuildPlan, planBuild } from "./plan.js";
import {
  build,
  checkFormat,
  commonFolder,
  compileTargets,
  downloadDependencies,
  placeBinaries,
  vet,
} from "./steps.js";
import { runTests } from "./test-step.js";

/** The stage contract's runtime, with go-build's test seams. */
export interface BuildRuntime extends StageRuntime {
  /** The containers' user; default this process's uid:gid. */
  user?: { uid: number; gid: number } | undefined;
  now?: () => number;
}

export type StepName = BuildStepName;
export type StepRecord = BuildStepRecord;

/** `failure` is `<step>: <why>` when a step failed or was cancelled. */
export interface BuildResult extends StageOutcome {
  runId: string;
  modulePath: string;
  goVersion: string;
  builderImage: string;
  /** Absolute paths; empty unless the build step ran. */
  binaries: string[];
  /** Undefined when the tests did not run. */
  tests: GoTestTotals | undefined;
  cacheHit: boolean;
  artifactId: string | undefined;
  /** The version stamped into version-variable. */
  version: string | undefined;
  steps: StepRecord[];
}

/**
 * Builds a Go module in one builder container: dependencies, format, vet,
 * test, build (and artifact upload), each in its own log group and each
 * `docker exec`'d into the container started for this run. Everything the
 * user can get wrong is checked before the container starts; the first
 * failing step stops the rest, after its reports are written; the container
 * is removed at the end, whatever happened.
 */
export function runBuildStage(options: BuildOptions, runtime: BuildRuntime): Promise<BuildResult> {
  return settleCancelled(
    runtime.signal,
    () => buildModule(options, runtime),
    (): BuildResult => ({
      status: "cancelled",
      failure: "cancelled: go-build stopped before its work finished",
      runId: "",
      modulePath: "",
      goVersion: options.goVersion ?? "",
      builderImage: options.builderImage ?? "",
      binaries: [],
      tests: undefined,
      cacheHit: false,
      artifactId: undefined,
      version: options.version,
      steps: [],
    }),
  );
}

async function buildModule(options: BuildOptions, runtime: BuildRuntime): Promise<BuildResult> {
  const { reporter, docker, context } = runtime;
  const now = runtime.now ?? Date.now;
  const startedMs = now();
  if (options.privateModulesToken) reporter.setSecret(options.privateModulesToken);
  if (/[\s/]/.test(options.privateModulesHost) || options.privateModulesHost === "") {
    throw new ConfigurationError(
      `private-modules-host is '${options.privateModulesHost}'; give a host name such as github.com`,
    );
  }

  const plan = planBuild(options, context);
  const imagePlatform = await ensureBuilderImage(docker, plan.builderImage);
  if (!(BUILTIN_NETWORKS as readonly string[]).includes(plan.network)) {
    await docker.ensureNetwork(plan.network, "network");
  }

  const runId = createRunId({ runId: context.runId, runAttempt: context.runAttempt });
  runtime.onRunId?.(runId);
  const useCache = options.cache && goCacheAllowed(context.ref);
  if (options.cache && !useCache)
    reporter.info("tag build: starting from empty Go caches (no cache poisoning)");
  const folders = prepareFolders(useCache ? options.cacheDir : undefined, context.tempDir);
  const netrcFile = options.privateModulesToken
    ? writeNetrc(context.tempDir, runId, options.privateModulesHost, options.privateModulesToken, folders)
    : undefined;
  const result = initialResult(runId, plan);
  reporter.info(
    `module ${plan.goMod.module} in ${plan.moduleDir}, builder ${plan.builderImage} (${imagePlatform}), containers labelled io.goflow.run=${runId}`,
  );

  // Where the build beside the tests writes (runSteps); mounted into the builder at its own path.
  const stagingDir = options.test ? mkdtempSync(join(context.tempDir, "goflow-stage-")) : undefined;
  const starting = startBuilder(runId, plan, options, folders, netrcFile, stagingDir, runtime);
  // Awaited below, or in `finally` when the cache restore throws first.
  starting.catch(() => undefined);
  let testSummary = "";
  try {
    const restoreCache = (goVersion: string) =>
      restoreCaches(goVersion, plan, options, folders, runtime, startedMs);
    // The restore and the container's start wait on different things: let them overlap.
    if (useCache && plan.goVersion !== undefined) result.cacheHit = await restoreCache(plan.goVersion);
    const container = await starting;
    if (plan.goVersion === undefined) {
      result.goVersion = await askGoVersion(container);
      reporter.info(`go.mod names no Go version; ${plan.builderImage} has Go ${result.goVersion}`);
      if (useCache) result.cacheHit = await restoreCache(result.goVersion);
    }
    testSummary = await runSteps(container, plan, options, runtime, result, stagingDir);
  } finally {
    // A start that failed removed its container itself.
    await (await starting.catch(() => undefined))?.remove();
    // After the container: a build beside failed tests may still be writing here until then.
    if (stagingDir) rmSync(stagingDir, { recursive: true, force: true });
    if (netrcFile) rmSync(dirname(netrcFile), { recursive: true, force: true });
    if (folders.temporary) rmSync(folders.root, { recursive: true, force: true });
  }

  await reporter.appendSummary(
    renderBuildSummary({ ...result, success: result.status === "ok", planned: plannedSteps(options) }) +
      testSummary,
  );
  reporter.info(
    result.status === "ok"
      ? `go-build succeeded in ${formatDuration(now() - startedMs)}`
      : `go-build failed in ${formatDuration(now() - startedMs)}: ${result.failure}`,
  );
  return result;
}

function startBuilder(
  runId: string,
  plan: BuildPlan,
  options: BuildOptions,
  folders: PreparedFolders,
  netrcFile: string | undefined,
  stagingDir: string | undefined,
  runtime: BuildRuntime,
): Promise<GoContainer> {
  const goflags = [options.passedEnv.GOFLAGS, "-modcacherw"].filter(Boolean).join(" ");
  return GoContainer.start({
    docker: runtime.docker,
    image: plan.builderImage,
    runId,
    mountRoot: plan.mountRoot,
    workdir: plan.moduleDir,
    user: runtime.user ?? currentUser(),
    folders: folders.paths,
    netrcFile,
    stagingDir,
    env: { GOFLAGS: goflags, CGO_ENABLED: options.cgo ? "1" : "0" },
    passedEnv: options.passedEnv,
    network: plan.network,
    signal: runtime.signal,
  });
}

/** Restores the Go caches of this toolchain and module; true when they match this run's key. */
async function restoreCaches(
  goVersion: string,
  plan: BuildPlan,
  options: BuildOptions,
  folders: PreparedFolders,
  runtime: BuildRuntime,
  runStartedMs: number,
): Promise<boolean> {
  const keyParts = {
    os: process.platform,
    arch: process.arch,
    builderImage: plan.builderImage,
    goVersion,
    goMod: plan.goModText,
    goSum: plan.goSumText,
  };
  const input = {
    folders: folders.paths,
    cacheDir: options.cacheDir,
    keyParts,
    service: runtime.cache,
    runStartedMs,
  };
  return (await restoreGoCache(input, runtime)).hit;
}

function initialResult(runId: string, plan: BuildPlan): BuildResult {
  return {
    status: "ok",
    failure: undefined,
    runId,
    modulePath: plan.goMod.module,
    goVersion: plan.goVersion ?? "",
    builderImage: plan.builderImage,
    binaries: [],
    tests: undefined,
    cacheHit: false,
    artifactId: undefined,
    version: plan.version,
    steps: [],
  };
}

/**
 * The steps, each in its log group, recorded in `result`; the first
 * StepFailure (or a cancel) marks the result failed and skips the rest.
 * Returns the job summary's test section.
 */
async function runSteps(
  go: GoContainer,
  plan: BuildPlan,
  options: BuildOptions,
  runtime: BuildRuntime,
  result: BuildResult,
  stagingDir: string | undefined,
): Promise<string> {
  const { reporter, signal } = runtime;
  const now = runtime.now ?? Date.now;
  /** `ahead`: the step began before its turn; its duration is its own. */
  const step = async (name: StepName, run: () => Promise<string>, ahead?: StepAhead) => {
    const started = now();
    const duration = () => ahead?.durationMs() ?? now() - started;
    try {
      const note = await reporter.group(name, run);
      result.steps.push({ name, status: "passed", durationMs: duration(), note });
    } catch (caught) {
      // A cancel kills the step's docker client midway: what it left is no finding.
      const error = signal?.aborted ? new StepFailure(cancelReason(signal)) : caught;
      if (error instanceof StepFailure)
        result.steps.push({ name, status: "failed", durationMs: duration(), note: error.message });
      throw error;
    }
  };
  const tags = options.tags.length > 0 ? ["-tags", options.tags.join(",")] : [];
  let testSummary = "";
  try {
    await step("dependencies", () => downloadDependencies(go, plan, reporter));
    const format = options.format;
    // gofmt -l and go vet only read the sources, so vet starts beside the format check and saves
    // one exec round trip plus gofmt's time (bench/go-build-overhead.mjs). Its report waits for
    // its turn; a failed format check still fails the build before vet's findings are shown.
    // gofmt -w (format: fix) writes the files vet reads: then vet waits.
    const vetAhead =
      options.vet && format === "check"
        ? runAhead((held) => vet(go, plan, tags, held), reporter, now)
        : undefined;
    if (format !== "off") await step("format", () => checkFormat(go, plan, format, reporter));
    if (options.vet) await step("vet", () => vetAhead?.result() ?? vet(go, plan, tags, reporter), vetAhead);
    // The build reads what the tests read and writes only into stagingDir, so it runs beside the
    // tests, in the core they leave idle more often than not. Its binaries move into the
    // workspace at its turn, after the tests passed; a failed test leaves none behind.
    const staged = stagingDir ? stageBuildTargets(plan.targets, stagingDir) : undefined;
    const buildAhead = staged
      ? runAhead((held) => compileTargets(go, plan, staged, held).then(() => ""), reporter, now)
      : undefined;
    if (options.test) {
      await step("test", async () => {
        const outcome = await runTests(go, plan, [...tags, ...options.testFlags], options, reporter);
        result.tests = outcome.totals;
        testSummary = outcome.summary;
        if (outcome.failure) throw new StepFailure(outcome.failure);
        return outcome.note;
      });
    }
    await step(
      "build",
      async () => {
        if (buildAhead && staged) {
          await buildAhead.result();
          result.binaries = placeBinaries(staged, reporter);
        } else result.binaries = await build(go, plan, reporter);
        return result.binaries
          .map((binary) => `${binary} (${formatBytes(statSync(binary).size)})`)
          .join(", ");
      },
      buildAhead,
    );
    const artifactName = options.artifactName;
    if (artifactName) {
      await step("artifact", async () => {
        const store = await openArtifactStore(runtime);
        result.artifactId = await store.upload(artifactName, result.binaries, commonFolder(result.binaries));
        return `uploaded ${plural(result.binaries.length, "binary", "binaries")} as '${artifactName}' (${result.artifactId})`;
      });
    }
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    // Cancelled, not failed: the step's record says so and keeps what ran before it.
    result.status = signal?.aborted ? "cancelled" : "failure";
    result.failure = `${result.steps.at(-1)?.name ?? "build"}: ${error.message}`;
  }
  return testSummary;
}

/** A step started before its turn: its result and report are taken when the turn comes. */
interface StepAhead {
  /** Settles with the step; first writes what it reported, in the current log group. */
  result(): Promise<string>;
  /** How long the step itself ran (so far, while it still runs). */
  durationMs(): number;
}

function runAhead(
  run: (reporter: Reporter) => Promise<string>,
  reporter: Reporter,
  now: () => number,
): StepAhead {
  const held = new HeldReporter(reporter);
  const started = now();
  let ended: number | undefined;
  const running = run(held).finally(() => {
    ended = now();
  });
  // Taken at its turn, or never when an earlier step fails (the container's removal ends it).
  running.catch(() => undefined);
  return {
    async result() {
      try {
        return await running;
      } finally {
        await held.release();
      }
    },
    durationMs: () => (ended ?? now()) - started,
  };
}

function cancelReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error && /^cancelled\b/.test(reason.message) ? reason.message : "cancelled";
}

/** The steps the options ask for, in order. */
function plannedSteps(options: BuildOptions): StepName[] {
  const planned: StepName[] = ["dependencies"];
  if (options.format !== "off") planned.push("format");
  if (options.vet) planned.push("vet");
  if (options.test) planned.push("test");
  planned.push("build");
  if (options.artifactName) planned.push("artifact");
  return planned;
}

/** The action's outputs, by output name. */
export function buildOutputs(result: BuildResult): Record<string, string> {
  return {
    binary: result.binaries.join("\n"),
    "go-version": result.goVersion,
    "builder-image": result.builderImage,
    "tests-passed": String(result.tests?.passed ?? 0),
    "tests-failed": String(result.tests?.failed ?? 0),
    "tests-skipped": String(result.tests?.skipped ?? 0),
    "tests-flaky": String(result.tests?.flaky ?? 0),
    "cache-hit": String(result.cacheHit),
    "artifact-id": result.artifactId ?? "",
  };
}
