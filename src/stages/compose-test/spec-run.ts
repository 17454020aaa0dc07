import { randomInt } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError, type SourceLocation } from "../../errors.js";
import { applyCaptures } from "../../rules/assert/capture.js";
import {
  checkStatus,
  describeStatusExpectation,
  evaluateExpectation,
} from "../../rules/assert/expectation.js";
import type { AssertionFailure, HttpResponse } from "../../rules/assert/failure.js";
import {
  assessReadiness,
  type ComposeConfig,
  chooseFreeSubnets,
  cleanupImages,
  composeProjectName,
  composeServiceNames,
  type DataFolder,
  type FixedSubnet,
  formatIpv4Subnet,
  type Ipv4Subnet,
  isSubnetConflict,
  moveSubnets,
  nameEnvironmentBuilds,
  parseIpv4Subnet,
  type ReadinessAssessment,
  redirectDataFolders,
  servicesToBuild,
} from "../../rules/compose/index.js";
import { formatDuration } from "../../rules/format.js";
import { interpolateExpectation, interpolateRequest } from "../../rules/spec/interpolation.js";
import type {
  Expectation,
  HttpRequestSpec,
  ResolvedRequest,
  Spec,
  SpecStep,
  SpecTest,
} from "../../rules/spec/spec.js";
import { bindServiceUrls } from "../../rules/spec/target.js";
import {
  ComposeEnvironment,
  type ComposeFiles,
  composeErrorDetail,
  stripAnsi,
} from "../../runtime/compose.js";
import { copyDataFolders, removeWrittenFolder } from "../../runtime/data-folders.js";
import { type Docker, RUN_LABEL } from "../../runtime/docker.js";
import { HttpRequestError, sendHttpRequest } from "../../runtime/http.js";
import { subnetsInUse } from "../../runtime/networks.js";
import { describeCommand, describeFailure, type ProcessResult } from "../../runtime/process.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";
import {
  publishTargets,
  requestTargets,
  type ServicePort,
  servicePortKey,
  unpublishedPortHint,
} from "./compose-model.js";
import type { ComposeTestOptions } from "./options.js";
import {
  bodyExcerpt,
  type EnvironmentProblem,
  fileHasFailures,
  type SpecFileResult,
  type SpecTestResult,
} from "./results.js";

/** How often readiness is polled: often enough that tests start within a tenth of a second of it. */
export const READINESS_POLL_MS = 100;
/** `setup`/`teardown` commands are given this long. */
const STEP_TIMEOUT_MS = 5 * 60_000;
/** Lines of each unready service's log printed after a readiness failure. */
const UNREADY_LOG_LINES = 100;

/** A parsed spec and where it came from. */
export interface LoadedSpec {
  spec: Spec;
  /** Relative to the workspace when inside it: used in messages and annotations. */
  file: string;
}

/** What every spec file of one run shares. */
export interface SpecRunShared {
  options: ComposeTestOptions;
  docker: Docker;
  reporter: Reporter;
  context: RunContext;
  /** The value of the run label on everything the run creates. */
  runLabel: string;
  /** The compose model: isolated (ephemeral ports, run labels) when `isolate` is on, else as loaded. */
  config: ComposeConfig;
  /** Compose files for `isolate: false` (the user's, plus an images override). */
  plainFiles: readonly string[];
  /** Read-write bind-mounted project folders every isolated environment gets its own copy of. */
  dataFolders: readonly DataFolder[];
  /** The model's fixed subnets, moved to a free subnet for each isolated environment. */
  fixedSubnets: readonly FixedSubnet[];
  /** Subnets this run's environments hold (CIDR), which other environments must not pick. */
  reservedSubnets: Set<string>;
  /** Holds a folder per project (its compose file and data-folder copies); removed by the caller. */
  tempDir: string;
  logsDir: string;
  /** For `${{ env.NAME }}`. */
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  random: () => string;
  /** Called before `up`, so a post step can find the project even if this process dies. */
  projectStarting(project: string): void;
  projectGone(project: string): void;
  projectKept(project: string): void;
}

interface RequestOutcome {
  failures: AssertionFailure[];
  error: string | undefined;
  /** An error retrying cannot fix (an undefined variable). */
  fatal: boolean;
  requestLine: string | undefined;
  bodyStart: string | undefined;
  captured: Record<string, string>;
}

/**
 * Runs one spec file in an environment of its own: a unique compose project,
 * brought up, waited for, set up, tested, torn down (whatever happened, unless
 * keep-on-failure keeps a failed one). Never throws for what happens inside
 * the environment: it all ends up in the returned result.
 */
export async function runSpecFile(written: LoadedSpec, shared: SpecRunShared): Promise<SpecFileResult> {
  // URLs whose host is a compose service go to its published port, like targets.
  const loaded = { ...written, spec: bindServiceUrls(written.spec, composeServiceNames(shared.config)) };
  const { spec, file } = loaded;
  const { reporter, context, signal } = shared;
  const started = performance.now();
  const project = composeProjectName({
    repository: context.repository,
    runId: context.runId,
    runAttempt: context.runAttempt,
    job: context.job,
    file,
    random: shared.random(),
  });
  const log = (message: string) => reporter.info(`[${file}] ${message}`);
  const result: SpecFileResult = {
    file,
    project,
    tests: [],
    problem: undefined,
    warnings: [],
    durationMs: 0,
    readyMs: undefined,
    logsFile: undefined,
    kept: false,
  };
  if (signal.aborted) {
    result.problem = {
      phase: "cancelled",
      message: "not started: the run was cancelled",
      location: fileStart(file),
    };
    result.tests = spec.tests.map((test) => skippedTest(test, "cancelled"));
    return result;
  }

  const targets = requestTargets(spec);
  let prepared: PreparedEnvironment;
  try {
    prepared = await prepareEnvironment(shared, project, targets);
  } catch (error) {
    rmSync(join(shared.tempDir, project), { recursive: true, force: true });
    const message = `could not prepare the environment: ${error instanceof Error ? error.message : String(error)}`;
    result.problem = { phase: "start", message, location: fileStart(file) };
    result.tests = spec.tests.map((test) => notRunTest(test, "start"));
    return result;
  }
  const environment = new ComposeEnvironment(shared.docker, project, prepared.files);
  shared.projectStarting(project);
  try {
    log(`starting environment ${project}`);
    const endpoints = await bringUp(environment, loaded, targets, prepared, shared, result);
    if (endpoints !== undefined && (await runSteps(environment, spec.setup, "setup", shared, result))) {
      const vars: Record<string, string> = {};
      for (const test of spec.tests) result.tests.push(await runTest(test, vars, endpoints, shared));
      await runSteps(environment, spec.teardown, "teardown", shared, result);
    }
    const problem = result.problem;
    if (problem !== undefined) {
      result.tests = spec.tests.map((test) =>
        problem.phase === "cancelled" ? skippedTest(test, "cancelled") : notRunTest(test, problem.phase),
      );
    }
  } catch (error) {
    // A broken engine or a bug: the file fails with the reason, the teardown below still runs.
    const message = error instanceof Error ? error.message : String(error);
    result.problem = { phase: "start", message, location: fileStart(file) };
    const done = new Set(result.tests.map((test) => test.name));
    result.tests.push(
      ...spec.tests.filter((test) => !done.has(test.name)).map((test) => notRunTest(test, "start")),
    );
  } finally {
    await finish(environment, prepared, shared, result);
    result.durationMs = Math.round(performance.now() - started);
  }
  return result;
}

/** One environment's compose files and what it makes that must go with it. */
interface PreparedEnvironment {
  files: ComposeFiles;
  /** The model this environment runs. */
  config: ComposeConfig;
  /** Services built before `up`. */
  build: string[];
  /** Images the builds make under this environment's own names, removed at teardown. */
  images: string[];
  /** The environment's folder under the run's temp folder (isolated runs), removed at teardown. */
  folder: string | undefined;
  /** Subnets moved for this environment, released at teardown. */
  subnets: string[];
  /** The isolated model's compose file, rewritten when its subnets move again. */
  composeFile: string | undefined;
}

/**
 * The compose files of one project: with isolation, the isolated model with
 * its targets published, its builds named for this environment and its data
 * folders pointed at fresh copies, in a folder of its own; else the user's
 * files (builds then keep their names and are still rebuilt).
 */
async function prepareEnvironment(
  shared: SpecRunShared,
  project: string,
  targets: readonly ServicePort[],
): Promise<PreparedEnvironment> {
  const { options } = shared;
  const compose = (files: readonly string[]): ComposeFiles => ({
    files,
    projectDirectory: options.workingDirectory,
    env: options.env,
  });
  if (!options.isolate) {
    const config = shared.config;
    return {
      files: compose(shared.plainFiles),
      config,
      // The images override names what is not to be built.
      build: servicesToBuild(config).filter((service) => !Object.hasOwn(options.images, service)),
      images: [],
      folder: undefined,
      subnets: [],
      composeFile: undefined,
    };
  }
  const published = publishTargets(shared.config, targets).config;
  const subnets = await reserveSubnets(shared, project);
  const moved = moveSubnets(published, subnets);
  for (const change of moved.changes) shared.reporter.info(`[${project}] ${change}`);
  const builds = nameEnvironmentBuilds(moved.config, project, { key: RUN_LABEL, value: shared.runLabel });
  for (const change of builds.changes) shared.reporter.debug(`[${project}] ${change}`);
  const folder = join(shared.tempDir, project);
  mkdirSync(folder, { recursive: true });
  const config =
    shared.dataFolders.length === 0
      ? builds.config
      : redirectDataFolders(builds.config, copyDataFolders(shared.dataFolders, join(folder, "data")));
  const path = join(folder, "compose.json");
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return {
    files: compose([path]),
    config,
    build: builds.services,
    images: builds.images,
    folder,
    subnets: [...subnets.values()].map(formatIpv4Subnet),
    composeFile: path,
  };
}

/** Free subnets of the wanted sizes: none that the engine, the host or this run's environments hold now. */
async function chooseSubnetsNow(
  shared: SpecRunShared,
  wanted: readonly Ipv4Subnet[],
): Promise<(Ipv4Subnet | undefined)[]> {
  const inUse = [...(await subnetsInUse(shared.docker)), ...shared.reservedSubnets]
    .map(parseIpv4Subnet)
    .filter((subnet) => subnet !== undefined);
  return chooseFreeSubnets(wanted, inUse, (n) => randomInt(n));
}

/**
 * Moves the environment's subnets once more, to free ones that are not the
 * ones it holds, and rewrites its compose file: for when another run (another
 * job on the same engine) created a network on the chosen subnet between our
 * look at the engine and our `up`.
 */
async function moveToOtherSubnets(
  shared: SpecRunShared,
  project: string,
  prepared: PreparedEnvironment,
): Promise<void> {
  const held = prepared.subnets;
  // The held ones are still reserved, so none of them is chosen again.
  const chosen = await chooseSubnetsNow(
    shared,
    held.map(parseIpv4Subnet).filter((subnet) => subnet !== undefined),
  );
  const moves = new Map<string, Ipv4Subnet>();
  held.forEach((text, i) => {
    const subnet = chosen[i];
    if (subnet === undefined) throw new Error(`no other free subnet for ${text} in ${project}`);
    moves.set(text, subnet);
  });
  const moved = moveSubnets(prepared.config, moves);
  for (const change of moved.changes) shared.reporter.info(`[${project}] ${change}`);
  for (const subnet of held) shared.reservedSubnets.delete(subnet);
  prepared.subnets = [...moves.values()].map(formatIpv4Subnet);
  for (const subnet of prepared.subnets) shared.reservedSubnets.add(subnet);
  prepared.config = moved.config;
  if (prepared.composeFile !== undefined) {
    writeFileSync(prepared.composeFile, `${JSON.stringify(moved.config, null, 2)}\n`);
  }
}

/**
 * A free subnet for each fixed subnet of the model: none that a Docker
 * network, a host interface or another environment of this run holds. Kept in
 * `reservedSubnets` until the environment is gone.
 */
async function reserveSubnets(shared: SpecRunShared, project: string): Promise<Map<string, Ipv4Subnet>> {
  const moves = new Map<string, Ipv4Subnet>();
  if (shared.fixedSubnets.length === 0) return moves;
  const chosen = await chooseSubnetsNow(
    shared,
    shared.fixedSubnets.map((fixed) => fixed.subnet),
  );
  shared.fixedSubnets.forEach((fixed, i) => {
    const subnet = chosen[i];
    if (subnet === undefined) {
      throw new Error(
        `no free /${fixed.subnet.prefix} subnet for network '${fixed.network}' (fixed at ${fixed.text}) in ${project}: every private range of that size overlaps a Docker network or a host interface`,
      );
    }
    moves.set(fixed.text, subnet);
  });
  // Reserved before any await, so environments starting side by side never pick the same one.
  for (const subnet of moves.values()) shared.reservedSubnets.add(formatIpv4Subnet(subnet));
  return moves;
}

/**
 * Builds what the environment builds (outside the readiness budget), then
 * `up`, waits until every service is running (healthy, when it has a
 * healthcheck) or has finished with exit 0, reads the published ports of the
 * targets and polls the readiness probe, all within one budget. Returns the
 * base URL of every target, or undefined after recording the problem.
 */
/** How often `up` is tried when a moved subnet was taken meanwhile by a network of another run. */
const SUBNET_ATTEMPTS = 4;

async function bringUp(
  environment: ComposeEnvironment,
  loaded: LoadedSpec,
  targets: readonly ServicePort[],
  prepared: PreparedEnvironment,
  shared: SpecRunShared,
  result: SpecFileResult,
): Promise<Map<string, string> | undefined> {
  const { spec, file } = loaded;
  const { signal } = shared;
  const location = spec.wait?.location ?? fileStart(file);
  const cancelled = (): undefined => {
    result.problem = { phase: "cancelled", message: "cancelled while starting", location };
    return undefined;
  };
  if (!(await buildImages(environment, prepared, shared, result, location))) {
    return signal.aborted ? cancelled() : undefined;
  }

  const budgetMs = readinessBudget(spec, shared.options);
  const started = performance.now();
  const remaining = () => budgetMs - (performance.now() - started);
  let up: ProcessResult;
  for (let attempt = 1; ; attempt++) {
    try {
      up = await environment.up({ timeoutMs: Math.max(remaining(), 1000), signal });
    } catch (error) {
      if (signal.aborted) return cancelled();
      throw error;
    }
    if (signal.aborted) return cancelled();
    const conflict =
      up.exitCode !== 0 && !up.timedOut && prepared.subnets.length > 0 && isSubnetConflict(up.stderr);
    if (!conflict || attempt >= SUBNET_ATTEMPTS) break;
    // Another job on this engine took the subnet after we chose it: choose again.
    shared.reporter.info(
      `[${file}] ${composeErrorDetail(up)}; moving to other subnets (attempt ${attempt + 1} of ${SUBNET_ATTEMPTS})`,
    );
    await environment.down(0);
    await moveToOtherSubnets(shared, environment.project, prepared);
  }
  if (up.exitCode !== 0 || up.timedOut) {
    const detail = composeErrorDetail(up);
    result.problem = {
      phase: "ready",
      message: `${up.timedOut ? `the environment did not come up in time: docker compose up timed out` : `docker compose up failed (exit code ${up.exitCode})`}${detail ? `: ${detail}` : ""}`,
      location,
    };
    await printUnreadyLogs(environment, targets, prepared.config, shared, file);
    return undefined;
  }
  shared.reporter.debug(`[${file}] docker compose up took ${formatDuration(up.durationMs)}`);

  const services = await awaitServices(environment, targets, prepared.config, shared, remaining);
  if (signal.aborted) return cancelled();
  if (!services.ready) {
    const unready = [...services.failed, ...services.waiting].map(
      (s) => `${s.service}: ${s.reasons.join("; ")}`,
    );
    result.problem = {
      phase: "ready",
      message:
        services.failed.length > 0
          ? `a service failed to start: ${unready.join(" | ")}`
          : `the environment was not ready within ${formatDuration(budgetMs)}: ${unready.join(" | ")}`,
      location,
    };
    await printUnreadyLogs(environment, targets, prepared.config, shared, file);
    return undefined;
  }

  const endpoints = new Map<string, string>();
  const published = await Promise.all(
    targets.map((target) =>
      environment.port(
        target.service,
        target.port,
        unpublishedPortHint(prepared.config, target, shared.options.isolate),
      ),
    ),
  );
  targets.forEach((target, i) => {
    endpoints.set(servicePortKey(target), `http://${published[i]?.host}:${published[i]?.port}`);
  });
  shared.reporter.debug(
    `[${file}] endpoints after ${formatDuration(performance.now() - started)}: ${[...endpoints].map(([k, v]) => `${k} → ${v}`).join(", ")}`,
  );

  const probe = spec.wait
    ? await pollReady(
        spec.wait.request,
        (status) => checkStatus(spec.wait!.status, status),
        readinessInterval(spec),
        endpoints,
        shared,
        remaining,
      )
    : await pollTargets(targets, endpoints, shared, remaining);
  if (signal.aborted) return cancelled();
  if (!probe.ready) {
    const expected = spec.wait ? describeStatusExpectation(spec.wait.status) : "any HTTP response";
    result.problem = {
      phase: "ready",
      message: `the environment was not ready within ${formatDuration(budgetMs)}: ${probe.what} never answered ${expected} (last: ${probe.last ?? "nothing"})`,
      location,
    };
    await printUnreadyLogs(environment, targets, prepared.config, shared, file);
    return undefined;
  }
  result.readyMs = Math.round(performance.now() - started);
  shared.reporter.info(`[${file}] ready after ${formatDuration(result.readyMs)}`);
  return endpoints;
}

/** `docker compose build` of the environment's build services, its output in a log group; false on failure. */
async function buildImages(
  environment: ComposeEnvironment,
  prepared: PreparedEnvironment,
  shared: SpecRunShared,
  result: SpecFileResult,
  location: SourceLocation,
): Promise<boolean> {
  if (prepared.build.length === 0) return true;
  const services = prepared.build.join(", ");
  const build = await shared.reporter.group(`[${result.file}] build ${services}`, async () => {
    const outcome = await environment.build(prepared.build, shared.signal);
    // Printed whole when done, so the lines of builds running side by side never interleave.
    shared.reporter.info(stripAnsi(outcome.stderr + outcome.stdout).trimEnd() || "(no build output)");
    return outcome;
  });
  if (shared.signal.aborted) return false;
  if (build.exitCode === 0 && !build.timedOut) {
    shared.reporter.info(`[${result.file}] built ${services} in ${formatDuration(build.durationMs)}`);
    return true;
  }
  const detail = composeErrorDetail(build);
  result.problem = {
    phase: "start",
    message: `docker compose build ${services} failed (${describeFailure(build)})${detail ? `: ${detail}` : ""}`,
    location,
  };
  return false;
}

/**
 * Polls `docker compose ps` until every service is ready (see
 * assessReadiness), one fails, or the budget is spent (at least one look).
 */
async function awaitServices(
  environment: ComposeEnvironment,
  targets: readonly ServicePort[],
  config: ComposeConfig,
  shared: SpecRunShared,
  remaining: () => number,
): Promise<ReadinessAssessment> {
  const servers = targets.map((target) => target.service);
  for (;;) {
    const polled = performance.now();
    const assessment = assessReadiness(await environment.ps(), config, servers);
    if (assessment.ready || assessment.failed.length > 0) return assessment;
    if (shared.signal.aborted || remaining() <= 0) return assessment;
    await sleep(
      Math.min(Math.max(0, READINESS_POLL_MS - (performance.now() - polled)), remaining()),
      shared.signal,
    );
  }
}

/** The spec's `wait.timeout` when it sets one, else the wait-timeout input. */
export function readinessBudget(spec: Spec, options: Pick<ComposeTestOptions, "waitTimeoutMs">): number {
  return spec.wait?.timeoutMs ?? options.waitTimeoutMs;
}

/** The spec's `wait.interval` when it sets one, else {@link READINESS_POLL_MS}. */
export function readinessInterval(spec: Spec): number {
  return spec.wait?.intervalMs ?? READINESS_POLL_MS;
}

interface ProbeResult {
  ready: boolean;
  what: string;
  last: string | undefined;
}

/** Polls the spec's wait request until `accept(status)` or the budget runs out. */
async function pollReady(
  request: HttpRequestSpec,
  accept: (status: number) => boolean,
  interval: number,
  endpoints: ReadonlyMap<string, string>,
  shared: SpecRunShared,
  remaining: () => number,
): Promise<ProbeResult> {
  const resolved = interpolateRequest(request, {}, shared.env);
  const url = requestUrl(resolved, endpoints);
  const what = `${resolved.method} ${url}`;
  let last: string | undefined;
  // At least one attempt, even when `up --wait` used up the budget: the message then says what the probe saw.
  for (let attempt = 0; !shared.signal.aborted && (attempt === 0 || remaining() > 0); attempt++) {
    const left = Math.max(remaining(), 1_000);
    const attemptStarted = performance.now();
    try {
      const response = await sendHttpRequest({
        method: resolved.method,
        url,
        headers: resolved.headers,
        body: resolved.body,
        timeoutMs: Math.max(1, Math.min(resolved.timeoutMs, left)),
        followRedirects: resolved.followRedirects,
        signal: shared.signal,
      });
      if (accept(response.status)) return { ready: true, what, last: String(response.status) };
      last = `${response.status} ${bodyExcerpt(response.body, 80)}`;
    } catch (error) {
      last = error instanceof HttpRequestError ? error.message.replace(`${what}: `, "") : String(error);
    }
    await sleep(
      Math.min(Math.max(0, interval - (performance.now() - attemptStarted)), remaining()),
      shared.signal,
    );
  }
  return { ready: false, what, last };
}

/** Without a `wait:` in the spec, every target must answer HTTP at all (any status) on `/`. */
async function pollTargets(
  targets: readonly ServicePort[],
  endpoints: ReadonlyMap<string, string>,
  shared: SpecRunShared,
  remaining: () => number,
): Promise<ProbeResult> {
  for (const target of targets) {
    const base = endpoints.get(servicePortKey(target))!;
    const probe = await pollUrl(`${base}/`, shared, remaining);
    if (!probe.ready) return probe;
  }
  return { ready: true, what: "", last: undefined };
}

async function pollUrl(url: string, shared: SpecRunShared, remaining: () => number): Promise<ProbeResult> {
  let last: string | undefined;
  for (let attempt = 0; !shared.signal.aborted && (attempt === 0 || remaining() > 0); attempt++) {
    const attemptStarted = performance.now();
    try {
      await sendHttpRequest({
        method: "GET",
        url,
        headers: [],
        body: undefined,
        timeoutMs: Math.min(5_000, Math.max(remaining(), 1_000)),
        followRedirects: false,
        signal: shared.signal,
      });
      return { ready: true, what: `GET ${url}`, last: undefined };
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(
      Math.min(Math.max(0, READINESS_POLL_MS - (performance.now() - attemptStarted)), remaining()),
      shared.signal,
    );
  }
  return { ready: false, what: `GET ${url}`, last };
}

/** Runs setup or teardown commands; returns false after recording a failed setup step. */
async function runSteps(
  environment: ComposeEnvironment,
  steps: readonly SpecStep[],
  phase: "setup" | "teardown",
  shared: SpecRunShared,
  result: SpecFileResult,
): Promise<boolean> {
  for (const step of steps) {
    if (shared.signal.aborted && phase === "setup") {
      result.problem = { phase: "cancelled", message: "cancelled during setup", location: step.location };
      return false;
    }
    const command = describeCommand(step.service, step.command).replace(/^\S+ /, "");
    const outcome = await environment.exec(step.service, step.command, STEP_TIMEOUT_MS);
    if (outcome.exitCode === 0 && !outcome.timedOut) {
      shared.reporter.info(`[${result.file}] ${phase}: ${step.service}: ${command}`);
      continue;
    }
    const message = `${phase} step in service '${step.service}' failed: ${describeFailure(outcome)}`;
    if (phase === "teardown") {
      result.warnings.push(message);
      continue;
    }
    result.problem = { phase: "setup", message, location: step.location };
    return false;
  }
  return true;
}

/** One test: interpolate, send, check, capture; retried as its `retry` says. */
async function runTest(
  test: SpecTest,
  vars: Record<string, string>,
  endpoints: ReadonlyMap<string, string>,
  shared: SpecRunShared,
): Promise<SpecTestResult> {
  if (shared.signal.aborted) return skippedTest(test, "cancelled");
  if (test.skip !== undefined) return skippedTest(test, test.skip.reason ?? "skip: true");
  const started = performance.now();
  const retries = test.retry?.retries ?? 0;
  let attempts = 0;
  let outcome: RequestOutcome;
  for (;;) {
    attempts++;
    outcome = await attemptRequest(test, vars, endpoints, shared);
    const passed = outcome.error === undefined && outcome.failures.length === 0;
    if (passed) Object.assign(vars, outcome.captured);
    if (passed || outcome.fatal || attempts > retries || shared.signal.aborted) break;
    await sleep(test.retry?.intervalMs ?? 0, shared.signal);
  }
  const passed = outcome.error === undefined && outcome.failures.length === 0;
  // A request cut short by cancellation says nothing about the service.
  if (!passed && shared.signal.aborted) return skippedTest(test, "cancelled");
  return {
    name: test.name,
    outcome: passed ? "passed" : "failed",
    allowedToFail: test.continueOnError,
    durationMs: Math.round(performance.now() - started),
    attempts,
    failures: outcome.failures,
    error: outcome.error,
    requestLine: outcome.requestLine,
    bodyStart: passed ? undefined : outcome.bodyStart,
    skipReason: undefined,
    location: test.location,
  };
}

async function attemptRequest(
  test: SpecTest,
  vars: Readonly<Record<string, string>>,
  endpoints: ReadonlyMap<string, string>,
  shared: SpecRunShared,
): Promise<RequestOutcome> {
  const outcome: RequestOutcome = {
    failures: [],
    error: undefined,
    fatal: false,
    requestLine: undefined,
    bodyStart: undefined,
    captured: {},
  };
  let resolved: ResolvedRequest;
  let url: string;
  try {
    resolved = interpolateRequest(test.request, vars, shared.env);
    url = requestUrl(resolved, endpoints);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { ...outcome, error: error.message, fatal: true };
  }
  outcome.requestLine = `${resolved.method} ${url}`;
  let response: HttpResponse;
  try {
    response = await sendHttpRequest({
      method: resolved.method,
      url,
      headers: resolved.headers,
      body: resolved.body,
      timeoutMs: resolved.timeoutMs,
      followRedirects: resolved.followRedirects,
      signal: shared.signal,
    });
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    return { ...outcome, error: `no response: ${error.message}` };
  }
  outcome.bodyStart = bodyExcerpt(response.body);
  let expect: Expectation;
  try {
    expect = interpolateExpectation(test.expect, vars, shared.env, `test "${test.name}"`);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { ...outcome, error: error.message, fatal: true };
  }
  outcome.failures = evaluateExpectation(expect, response);
  if (outcome.failures.length === 0 && test.capture.length > 0) {
    const captures = applyCaptures(test.capture, response);
    outcome.failures = captures.failures;
    outcome.captured = captures.values;
  }
  return outcome;
}

/** A service destination goes to the target's published port; a URL is used as written. */
export function requestUrl(request: ResolvedRequest, endpoints: ReadonlyMap<string, string>): string {
  const destination = request.destination;
  if (destination.kind === "url") return destination.url;
  const base = endpoints.get(servicePortKey(destination));
  if (base === undefined) throw new Error(`no published port for ${servicePortKey(destination)}`);
  return `${base}${destination.path}`;
}

/** The logs of what is not running or not healthy, and of the targets, printed after a readiness failure. */
async function printUnreadyLogs(
  environment: ComposeEnvironment,
  targets: readonly ServicePort[],
  config: ComposeConfig,
  shared: SpecRunShared,
  file: string,
): Promise<void> {
  try {
    const entries = await environment.ps();
    const assessment = assessReadiness(
      entries,
      config,
      targets.map((t) => t.service),
    );
    const unready = [...assessment.failed, ...assessment.waiting];
    const services = [
      ...new Set([...unready.map((s) => s.service), ...targets.map((t) => t.service)]),
    ].sort();
    const status = unready.map((s) => `${s.service}: ${s.reasons.join("; ")}`);
    const logs = await environment.logsTail(services, UNREADY_LOG_LINES);
    const text = [
      status.length > 0 ? `not ready: ${status.join(" | ")}` : "every container is running",
      logs || "(no log output)",
    ].join("\n");
    // Gathered first and printed in one go, so other files' lines cannot land inside the group.
    await shared.reporter.group(`[${file}] logs of ${services.join(", ")}`, async () =>
      shared.reporter.info(text),
    );
  } catch (error) {
    shared.reporter.warning(
      `[${file}] could not read the compose logs: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Saves the logs of a failed environment, then removes it (or keeps it for
 * debugging): its containers, networks and volumes, what its containers wrote
 * into its data folders, and the images it built.
 */
async function finish(
  environment: ComposeEnvironment,
  prepared: PreparedEnvironment,
  shared: SpecRunShared,
  result: SpecFileResult,
): Promise<void> {
  const cancelled = result.problem?.phase === "cancelled" || shared.signal.aborted;
  const failed = fileHasFailures(result);
  if (failed && !cancelled) {
    const path = join(shared.logsDir, `${environment.project}.log`);
    try {
      const logs = await environment.logsToFile(path);
      if (logs.exitCode === 0) result.logsFile = path;
      else result.warnings.push(`saving the compose logs failed: ${describeFailure(logs)}`);
    } catch (error) {
      result.warnings.push(
        `saving the compose logs failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (failed && !cancelled && shared.options.keepOnFailure) {
    result.kept = true;
    shared.projectKept(environment.project);
    shared.reporter.warning(
      `[${result.file}] kept environment ${environment.project} for debugging (keep-on-failure); remove it with: docker compose -p ${environment.project} down --volumes --remove-orphans`,
    );
    return;
  }
  // A cancelled run has seconds before the runner kills it: no grace, whatever stop-timeout says.
  const down = await environment.down(
    cancelled ? 0 : shared.options.stopTimeoutSeconds,
    !shared.options.isolate,
  );
  if (down.exitCode === 0 && !down.timedOut) shared.projectGone(environment.project);
  else result.warnings.push(`teardown failed (the post step tries again): ${describeFailure(down)}`);
  if (prepared.folder !== undefined) {
    const images = cleanupImages(prepared.config, shared.dataFolders);
    const warning = await removeWrittenFolder(shared.docker, prepared.folder, images, shared.runLabel);
    if (warning !== undefined) result.warnings.push(warning);
  }
  for (const subnet of prepared.subnets) shared.reservedSubnets.delete(subnet);
  const removed = await shared.docker.removeImages(prepared.images);
  for (const error of removed.errors) result.warnings.push(`removing the built images failed: ${error}`);
}

function skippedTest(test: SpecTest, reason: string): SpecTestResult {
  return { ...emptyTest(test), outcome: "skipped", skipReason: reason };
}

/** The file's problem is reported once, at the file; each test only says why it did not run. */
function notRunTest(test: SpecTest, phase: EnvironmentProblem["phase"]): SpecTestResult {
  const why = phase === "setup" ? "a setup step failed" : "the environment did not become ready";
  return { ...emptyTest(test), outcome: "failed", allowedToFail: false, error: `not run: ${why}` };
}

function emptyTest(test: SpecTest): SpecTestResult {
  return {
    name: test.name,
    outcome: "skipped",
    allowedToFail: test.continueOnError,
    durationMs: 0,
    attempts: 0,
    failures: [],
    error: undefined,
    requestLine: undefined,
    bodyStart: undefined,
    skipReason: undefined,
    location: test.location,
  };
}

function fileStart(file: string): SourceLocation {
  return { file, line: 1, column: 1 };
}

/** Resolves after `ms`, or at once when the run is cancelled. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
