import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { formatBytes, formatDuration, lastLines, plural } from "../../rules/format.js";
import {
  flakyTestFindings,
  formatPlatform,
  type GoTestResult,
  type GoTestTotals,
  goTestResultToSuites,
  packageDirResolver,
  parseCompilerOutput,
  parseGofmtList,
  parseTestEvents,
  planTestReruns,
  platformBuildEnv,
  testFailureFindings,
  unformattedFindings,
} from "../../rules/go/index.js";
import {
  capFindings,
  type Finding,
  renderJUnitXml,
  renderTestSummary,
  tableCell,
} from "../../rules/report/index.js";
import { createRunId, type Docker } from "../../runtime/docker.js";
import { GoContainer, type GoFolders } from "../../runtime/go-container.js";
import { describeFailure, ProcessError, type ProcessResult } from "../../runtime/process.js";
import type { Reporter } from "../../runtime/reporter.js";
import {
  openArtifactStore,
  type StageOutcome,
  type StageRuntime,
  settleCancelled,
} from "../stage-contract.js";
import { restoreGoCache } from "./cache.js";
import { BUILTIN_NETWORKS, type BuildOptions } from "./options.js";
import { type BuildPlan, type BuildTarget, listGoSourceFiles, planBuild } from "./plan.js";

/** The stage contract's runtime, with go-build's test seams. */
export interface BuildRuntime extends StageRuntime {
  /** The containers' user; default this process's uid:gid. */
  user?: { uid: number; gid: number } | undefined;
  now?: () => number;
}

export type StepName = "dependencies" | "format" | "vet" | "test" | "build" | "artifact";

export interface StepRecord {
  name: StepName;
  status: "passed" | "failed" | "skipped";
  durationMs: number;
  /** What happened, one line. */
  note: string;
}

/** `failure` is `<step>: <why>` when a step failed. */
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

/** A step that failed for a reason already reported (annotations, log); stops the steps after it. */
class StepFailure extends Error {}

const STEP_TIMEOUT_MS = 6 * 60 * 60_000; // GitHub's own job limit; the job's timeout-minutes is the real one
const MAX_ANNOTATIONS = 10; // GitHub shows 10 error annotations per step
const GOFMT_FILES_PER_CALL = 2_000;

/**
 * Builds a Go module in containers of the builder image: dependencies,
 * format, vet, test, build (and artifact upload), each in its own log group.
 * Everything the user can get wrong is checked before the first container;
 * the first failing step stops the rest, after its reports are written.
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
  const useCache = options.cache && !isTagBuild(context.ref);
  if (options.cache && !useCache)
    reporter.info("tag build: starting from empty Go caches (no cache poisoning)");
  const folders = prepareFolders(useCache ? options.cacheDir : undefined, context.tempDir);
  const netrcFile = options.privateModulesToken
    ? writeNetrc(context.tempDir, runId, options.privateModulesHost, options.privateModulesToken, folders)
    : undefined;
  const user = runtime.user ?? currentUser();
  const goflags = [options.passedEnv.GOFLAGS, "-modcacherw"].filter(Boolean).join(" ");
  const go = new GoContainer({
    docker,
    image: plan.builderImage,
    runId,
    mountRoot: plan.mountRoot,
    workdir: plan.moduleDir,
    user,
    folders: folders.paths,
    netrcFile,
    env: { GOFLAGS: goflags, CGO_ENABLED: options.cgo ? "1" : "0" },
    passedEnv: options.passedEnv,
    network: plan.network,
    signal: runtime.signal,
  });

  const result: BuildResult = {
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
  reporter.info(
    `module ${plan.goMod.module} in ${plan.moduleDir}, builder ${plan.builderImage} (${imagePlatform}), containers labelled io.goflow.run=${runId}`,
  );

  let testSummary = "";
  try {
    if (plan.goVersion === undefined) {
      result.goVersion = await askGoVersion(go);
      reporter.info(`go.mod names no Go version; ${plan.builderImage} has Go ${result.goVersion}`);
    }
    if (useCache) {
      const keyParts = {
        os: process.platform,
        arch: process.arch,
        builderImage: plan.builderImage,
        goVersion: result.goVersion,
        goMod: plan.goModText,
        goSum: plan.goSumText,
      };
      const restored = await restoreGoCache(
        {
          folders: folders.paths,
          cacheDir: options.cacheDir,
          keyParts,
          service: runtime.cache,
          runStartedMs: startedMs,
        },
        runtime,
      );
      result.cacheHit = restored.hit;
    }
    testSummary = await runSteps(go, plan, options, runtime, result);
  } finally {
    if (netrcFile) rmSync(dirname(netrcFile), { recursive: true, force: true });
    if (folders.temporary) rmSync(folders.root, { recursive: true, force: true });
  }

  await reporter.appendSummary(renderBuildSummary(result, options) + testSummary);
  reporter.info(
    result.status === "ok"
      ? `go-build succeeded in ${formatDuration(now() - startedMs)}`
      : `go-build failed in ${formatDuration(now() - startedMs)}: ${result.failure}`,
  );
  return result;
}

/**
 * The steps, each in its log group, recorded in `result`; the first
 * StepFailure marks the result failed and skips the rest. Returns the job
 * summary's test section.
 */
async function runSteps(
  go: GoContainer,
  plan: BuildPlan,
  options: BuildOptions,
  runtime: BuildRuntime,
  result: BuildResult,
): Promise<string> {
  const { reporter } = runtime;
  const now = runtime.now ?? Date.now;
  const step = async (name: StepName, run: () => Promise<string>) => {
    const started = now();
    try {
      const note = await reporter.group(name, run);
      result.steps.push({ name, status: "passed", durationMs: now() - started, note });
    } catch (error) {
      if (error instanceof StepFailure)
        result.steps.push({ name, status: "failed", durationMs: now() - started, note: error.message });
      throw error;
    }
  };
  const tags = options.tags.length > 0 ? ["-tags", options.tags.join(",")] : [];
  let testSummary = "";
  try {
    await step("dependencies", () => downloadDependencies(go, plan, reporter));
    const format = options.format;
    if (format !== "off") await step("format", () => checkFormat(go, plan, format, reporter));
    if (options.vet) await step("vet", () => vet(go, plan, tags, reporter));
    if (options.test) {
      await step("test", async () => {
        const flags = [...tags, ...options.testFlags];
        const outcome = await test(go, plan, flags, options, reporter);
        result.tests = outcome.totals;
        testSummary = outcome.summary;
        if (outcome.failure) throw new StepFailure(outcome.failure);
        return outcome.note;
      });
    }
    await step("build", async () => {
      result.binaries = await build(go, plan, reporter);
      return result.binaries.map((binary) => `${binary} (${formatBytes(statSync(binary).size)})`).join(", ");
    });
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
    result.status = "failure";
    result.failure = `${result.steps.at(-1)?.name ?? "build"}: ${error.message}`;
  }
  return testSummary;
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

/**
 * The builder image's platform. A local image answers in one docker call,
 * which also proves the engine is reachable (the overhead over a bare
 * `docker run` is measured in bench/go-build-overhead.mjs); only when it does
 * not answer is the engine checked, then the image pulled, each with its own
 * message.
 */
async function ensureBuilderImage(docker: Docker, image: string): Promise<string> {
  const platformOf = () =>
    docker.run(["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", image], { timeoutMs: 60_000 });
  let inspected = await platformOf().catch(() => undefined);
  if (inspected?.exitCode !== 0) {
    await docker.ensureReachable();
    await docker.ensureImage(image, "builder-image");
    inspected = await platformOf();
  }
  return inspected.stdout.trim();
}

/** Release builds must not start from caches a branch build could have written. */
function isTagBuild(ref: string): boolean {
  return ref.startsWith("refs/tags/");
}

function currentUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || typeof process.getgid !== "function") return undefined;
  return { uid: process.getuid(), gid: process.getgid() };
}

interface PreparedFolders {
  root: string;
  paths: GoFolders;
  /** Made for this run only (cache off, tag builds) and removed after it. */
  temporary: boolean;
}

function prepareFolders(cacheDir: string | undefined, tempDir: string): PreparedFolders {
  const root = cacheDir ?? mkdtempSync(join(tempDir, "goflow-go-"));
  const paths = { home: join(root, "home"), build: join(root, "build"), mod: join(root, "mod") };
  // Made by this process (the runner's user) so the containers, running as that user, can write them.
  try {
    for (const dir of Object.values(paths)) mkdirSync(dir, { recursive: true });
    accessSync(root, constants.W_OK);
    for (const dir of Object.values(paths)) accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new ConfigurationError(
      `cache-dir ${root} is not writable for this user (${error instanceof Error ? error.message : String(error)}); point cache-dir at a folder the runner's user owns`,
    );
  }
  return { root, paths, temporary: cacheDir === undefined };
}

function writeNetrc(
  tempDir: string,
  runId: string,
  host: string,
  token: string,
  folders: PreparedFolders,
): string {
  const dir = join(tempDir, `goflow-netrc-${runId}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, ".netrc");
  writeFileSync(file, `machine ${host}\nlogin x-access-token\npassword ${token}\n`, { mode: 0o600 });
  // The mount point must exist, or the engine creates it as root inside the (cached) home folder.
  const mountPoint = join(folders.paths.home, ".netrc");
  if (!existsSync(mountPoint)) writeFileSync(mountPoint, "", { mode: 0o600 });
  return file;
}

async function askGoVersion(go: GoContainer): Promise<string> {
  const result = await checkedGo(go, ["go", "env", "GOVERSION"], { timeoutMs: 120_000 });
  const match = /^go(\d+)\.(\d+)/.exec(result.stdout.trim());
  if (!match)
    throw new ProcessError(`the builder image reported Go version '${result.stdout.trim()}'`, result);
  return `${match[1]}.${match[2]}`;
}

async function downloadDependencies(go: GoContainer, plan: BuildPlan, reporter: Reporter): Promise<string> {
  if (plan.vendored) {
    reporter.info(`vendor/modules.txt found: building from vendor/ (containers' network: ${plan.network})`);
    return plan.network === "none" ? "vendored (no network)" : "vendored";
  }
  if (!plan.hasRequirements) {
    reporter.info("go.mod requires no modules: nothing to download");
    return "nothing to download";
  }
  // Not GOPROXY's value: a proxy URL may carry credentials.
  reporter.info("go mod download");
  const result = await runGo(go, ["go", "mod", "download"], reporter);
  if (result.exitCode !== 0) {
    const message =
      lastLines(result.stderr || result.stdout, 20) || `go mod download exited with ${result.exitCode}`;
    reporter.annotate({
      severity: "error",
      title: "go mod download",
      message,
      location: { file: join(plan.baseDir, "go.mod").replace(/^\.\//, "") },
    });
    throw new StepFailure("go mod download failed");
  }
  return "modules downloaded";
}

async function checkFormat(
  go: GoContainer,
  plan: BuildPlan,
  mode: "check" | "fix",
  reporter: Reporter,
): Promise<string> {
  const files = listGoSourceFiles(plan.moduleDir);
  if (files.length === 0) return "no Go files";
  const listed: string[] = [];
  for (let i = 0; i < files.length; i += GOFMT_FILES_PER_CALL) {
    const chunk = files.slice(i, i + GOFMT_FILES_PER_CALL);
    const args = mode === "fix" ? ["gofmt", "-l", "-w", ...chunk] : ["gofmt", "-l", ...chunk];
    const result = await checkedGo(go, args, { allowExitCodes: [2], timeoutMs: STEP_TIMEOUT_MS });
    if (result.exitCode !== 0) {
      // gofmt exits 2 on a syntax error; the compiler will say the same, but this is the first step to see it.
      const findings = parseCompilerOutput(result.stderr, { baseDir: plan.baseDir, title: "gofmt" });
      annotateAll(reporter, findings);
      reporter.info(result.stderr.trimEnd());
      throw new StepFailure(`gofmt could not parse ${findings.length || "some"} files`);
    }
    listed.push(...parseGofmtList(result.stdout));
  }
  if (listed.length === 0) {
    reporter.info(`${files.length} files are gofmt-formatted`);
    return `${files.length} files formatted`;
  }
  if (mode === "fix") {
    for (const finding of unformattedFindings(listed, plan.baseDir)) {
      reporter.annotate({
        ...finding,
        severity: "notice",
        message: "reformatted with gofmt -w; commit the change",
      });
    }
    return `reformatted ${listed.length} files: ${listed.join(", ")}`;
  }
  const findings = unformattedFindings(listed, plan.baseDir);
  annotateAll(reporter, findings);
  const paths = findings.map((finding) => finding.location?.file ?? "");
  throw new StepFailure(
    `${plural(listed.length, "file is", "files are")} not gofmt-formatted: ${paths.join(", ")}`,
  );
}

async function vet(go: GoContainer, plan: BuildPlan, tags: string[], reporter: Reporter): Promise<string> {
  const result = await runGo(go, ["go", "vet", ...tags, "./..."], reporter);
  if (result.exitCode === 0) return "no findings";
  const found = annotateCompilerFailure(reporter, result.stderr, plan.baseDir, "go vet");
  throw new StepFailure(`go vet reported ${found || "a"} problem${found === 1 ? "" : "s"}`);
}

/**
 * Annotates each `file:line:col: message` of a failed go command; when none
 * can be read (a crash, a missing tool), the end of its output instead.
 * Returns how many findings were read.
 */
function annotateCompilerFailure(reporter: Reporter, stderr: string, baseDir: string, title: string): number {
  const findings = parseCompilerOutput(stderr, { baseDir, title });
  if (findings.length === 0)
    reporter.annotate({ severity: "error", title, message: lastLines(stderr, 20) || `${title} failed` });
  annotateAll(reporter, findings);
  return findings.length;
}

interface TestOutcome {
  totals: GoTestTotals;
  failure: string | undefined;
  note: string;
  /** The job summary's test section. */
  summary: string;
}

async function test(
  go: GoContainer,
  plan: BuildPlan,
  flags: string[],
  options: Pick<BuildOptions, "junitReport" | "rerunFailed">,
  reporter: Reporter,
): Promise<TestOutcome> {
  const first = await runGoTest(go, [...flags, "./..."], reporter);
  // Every run's events and Go < 1.24's plain build output on stderr, read as one stream.
  let stream = `${first.stdout}\n${first.stderr}`;
  let parsed = parseTestEvents(stream);
  let exitCode = first.exitCode;
  for (let round = 1; exitCode !== 0 && round <= options.rerunFailed; round++) {
    const reruns = planTestReruns(parsed);
    if (reruns.length === 0) break;
    exitCode = 0;
    for (const rerun of reruns) {
      reporter.info(
        `rerun ${round} of ${options.rerunFailed}: go test -run '${rerun.pattern}' ${rerun.package}`,
      );
      const result = await runGoTest(go, [...flags, "-run", rerun.pattern, rerun.package], reporter);
      stream += `\n${result.stdout}\n${result.stderr}`;
      if (result.exitCode !== 0) exitCode = result.exitCode;
    }
    parsed = parseTestEvents(stream);
  }
  printFailingTests(parsed, reporter);

  const packageDir = packageDirResolver(plan.goMod.module, plan.baseDir);
  for (const finding of flakyTestFindings(parsed, { packageDir })) reporter.annotate(finding);
  const suites = goTestResultToSuites(parsed, { packageDir });
  const junitReport = options.junitReport;
  if (junitReport) {
    mkdirSync(dirname(junitReport), { recursive: true });
    writeFileSync(junitReport, renderJUnitXml(suites, { name: "go test" }));
    reporter.info(`JUnit report: ${junitReport}`);
  }
  const summary = renderTestSummary(suites, { title: "Go tests", layout: "suites" });

  const { totals } = parsed;
  const flaky = totals.flaky > 0 ? `, ${totals.flaky} flaky` : "";
  const note = `${totals.passed} passed, ${totals.failed} failed${flaky}, ${totals.skipped} skipped in ${totals.packages} packages`;
  // go fails a run with a flaky test (-count=N) too; it passed when nothing failed for good.
  const passed =
    exitCode === 0 ||
    (totals.flaky > 0 &&
      totals.failed === 0 &&
      totals.failedPackages === 0 &&
      parsed.buildFailures.length === 0);
  if (passed) return { totals, failure: undefined, note, summary };
  const findings = testFailureFindings(parsed, { packageDir, baseDir: plan.baseDir, limit: MAX_ANNOTATIONS });
  for (const finding of findings) reporter.annotate(finding);
  if (findings.length === 0) {
    // go itself refused to run (a bad flag, no packages): its words are all there is.
    const message =
      lastLines(first.stderr || parsed.unparsed.join("\n"), 20) || `go test exited ${first.exitCode}`;
    reporter.annotate({ severity: "error", title: "go test", message });
    return { totals, failure: message.split("\n")[0], note, summary };
  }
  const failure =
    parsed.buildFailures.length > 0
      ? `${plural(parsed.buildFailures.length, "package", "packages")} did not compile; ${note}`
      : `${plural(totals.failed, "test", "tests")} failed (${note})`;
  return { totals, failure, note, summary };
}

/** `go test -json <args>`; the log shows the lines a plain `go test` would print per package. */
async function runGoTest(go: GoContainer, args: string[], reporter: Reporter): Promise<ProcessResult> {
  const echo = lineSplitter((line) => {
    const event = parseEventLine(line);
    if (event && (event.Test === undefined || event.Action === "build-output") && event.Output) {
      reporter.info(event.Output.replace(/\n$/, ""));
    }
  });
  const result = await runGo(go, ["go", "test", "-json", ...args], reporter, { onStdout: echo.push });
  echo.flush();
  return result;
}

function printFailingTests(parsed: GoTestResult, reporter: Reporter): void {
  for (const pkg of parsed.packages) {
    for (const failed of pkg.tests.filter((t) => t.status === "fail")) {
      reporter.info(`--- FAIL: ${failed.name} (${pkg.name})`);
      for (const line of failed.output) reporter.info(line);
    }
  }
}

async function build(go: GoContainer, plan: BuildPlan, reporter: Reporter): Promise<string[]> {
  const binaries: string[] = [];
  for (const target of plan.targets) {
    const label = target.platform ? formatPlatform(target.platform) : "the builder's platform";
    reporter.info(`go ${target.args.join(" ")} (${label})`);
    const staging = target.renames.length > 0 ? target.output : undefined;
    if (staging) rmSync(staging, { recursive: true, force: true });
    const env = target.platform ? platformBuildEnv(target.platform) : {};
    const result = await runGo(go, ["go", ...target.args], reporter, { env });
    if (result.exitCode !== 0) {
      const found = annotateCompilerFailure(reporter, result.stderr, plan.baseDir, "go build");
      throw new StepFailure(`go build (${label}) failed${found > 0 ? ` with ${found} errors` : ""}`);
    }
    moveStaged(target);
    if (staging) rmSync(staging, { recursive: true, force: true });
    for (const binary of target.binaries) {
      if (!existsSync(binary)) {
        throw new StepFailure(
          `go build wrote no ${binary}; check that each entry of packages is a main package`,
        );
      }
      reporter.info(`built ${binary} (${formatBytes(statSync(binary).size)})`);
      binaries.push(binary);
    }
  }
  return binaries;
}

function moveStaged(target: BuildTarget): void {
  for (const [from, to] of target.renames) if (existsSync(from)) renameSync(from, to);
}

interface GoCallOptions {
  env?: Record<string, string>;
  onStdout?: (chunk: string) => void;
}

/** Runs a Go command with its stderr streamed to the log; docker's own failures are errors, not findings. */
async function runGo(
  go: GoContainer,
  args: string[],
  reporter: Reporter,
  options: GoCallOptions = {},
): Promise<ProcessResult> {
  const echo = lineSplitter((line) => reporter.info(line));
  const result = await go.run(args, {
    env: options.env,
    timeoutMs: STEP_TIMEOUT_MS,
    onStdout: options.onStdout ?? echo.push,
    onStderr: echo.push,
  });
  echo.flush();
  return failOnDockerError(result);
}

async function checkedGo(
  go: GoContainer,
  args: string[],
  options: { allowExitCodes?: number[]; timeoutMs: number },
): Promise<ProcessResult> {
  const result = failOnDockerError(await go.run(args, { timeoutMs: options.timeoutMs }));
  if (result.exitCode !== 0 && !options.allowExitCodes?.includes(result.exitCode)) {
    throw new ProcessError(describeFailure(result), result);
  }
  return result;
}

/**
 * `docker run` exits 125 when the engine could not run the container, 126/127
 * when the command cannot be executed or is missing from the image: faults of
 * the environment or the builder image, never of the Go code. A timeout too.
 */
function failOnDockerError(result: ProcessResult): ProcessResult {
  if (result.timedOut || [125, 126, 127].includes(result.exitCode)) {
    throw new ProcessError(describeFailure(result), result);
  }
  return result;
}

function annotateAll(reporter: Reporter, findings: Finding[]): void {
  for (const finding of capFindings(findings, MAX_ANNOTATIONS)) reporter.annotate(finding);
}

/** Calls `onLine` for every whole line of a stream; `flush` hands over the unterminated rest. */
function lineSplitter(onLine: (line: string) => void): { push: (chunk: string) => void; flush: () => void } {
  let pending = "";
  return {
    push: (chunk) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line.replace(/\r$/, ""));
    },
    flush: () => {
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}

function parseEventLine(line: string): { Action?: string; Test?: string; Output?: string } | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as { Action?: string; Test?: string; Output?: string };
  } catch {
    return undefined;
  }
}

function commonFolder(paths: string[]): string {
  let common = dirname(paths[0] ?? ".");
  for (const path of paths) {
    while (!`${path}/`.startsWith(`${common}/`) && common !== dirname(common)) common = dirname(common);
  }
  return common;
}

const STEP_ICONS: Record<StepRecord["status"], string> = { passed: "✅", failed: "❌", skipped: "⏭️" };

function renderBuildSummary(result: BuildResult, options: BuildOptions): string {
  const ran = new Set(result.steps.map((s) => s.name));
  const planned: StepName[] = ["dependencies"];
  if (options.format !== "off") planned.push("format");
  if (options.vet) planned.push("vet");
  if (options.test) planned.push("test");
  planned.push("build");
  if (options.artifactName) planned.push("artifact");
  const rows = [
    ...result.steps,
    ...planned
      .filter((name) => !ran.has(name))
      .map(
        (name): StepRecord => ({
          name,
          status: "skipped",
          durationMs: 0,
          note: "not run: an earlier step failed",
        }),
      ),
  ];
  return [
    `### go-build: ${tableCell(result.modulePath)} ${result.status === "ok" ? "✅" : "❌"}`,
    "",
    `Go ${tableCell(result.goVersion)} in \`${tableCell(result.builderImage)}\`; caches ${result.cacheHit ? "hit" : "not hit"}${result.version ? `; version ${tableCell(result.version)}` : ""}`,
    "",
    "| | Step | Time | |",
    "| --- | --- | ---: | --- |",
    ...rows.map(
      (row) =>
        `| ${STEP_ICONS[row.status]} | ${row.name} | ${row.status === "skipped" ? "" : formatDuration(row.durationMs)} | ${tableCell(row.note)} |`,
    ),
    "",
    "",
  ].join("\n");
}
