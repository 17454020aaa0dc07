import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError, type SourceLocation } from "../errors.js";
import { applyCaptures } from "../rules/assert/capture.js";
import { checkStatus, describeStatusExpectation, evaluateExpectation } from "../rules/assert/expectation.js";
import type { AssertionFailure, HttpResponse } from "../rules/assert/failure.js";
import {
  type ComposeConfig,
  composeProjectName,
  composeServiceNames,
  unreadyServices,
} from "../rules/compose/index.js";
import { interpolateRequest } from "../rules/spec/interpolation.js";
import type { HttpRequestSpec, ResolvedRequest, Spec, SpecStep, SpecTest } from "../rules/spec/spec.js";
import { bindServiceUrls } from "../rules/spec/target.js";
import { ComposeEnvironment, type ComposeFiles, composeErrorDetail } from "../runtime/compose.js";
import type { Docker } from "../runtime/docker.js";
import { HttpRequestError, sendHttpRequest } from "../runtime/http.js";
import { describeCommand, describeFailure, type ProcessResult } from "../runtime/process.js";
import { formatDuration, type Reporter } from "../runtime/reporter.js";
import type { RunContext } from "../runtime/run-context.js";
import { publishTargets, requestTargets, type ServicePort, servicePortKey } from "./test-compose-model.js";
import type { ComposeTestOptions } from "./test-options.js";
import {
  bodyExcerpt,
  type EnvironmentProblem,
  fileHasFailures,
  type SpecFileResult,
  type SpecTestResult,
} from "./test-results.js";

/** How often readiness is polled: often enough that tests start within a tenth of a second of it. */
export const READINESS_POLL_MS = 100;
/** `setup`/`teardown` commands are given this long. */
const STEP_TIMEOUT_MS = 5 * 60_000;
/** Lines of each unready service's log printed after a readiness failure. */
const UNREADY_LOG_LINES = 100;
/** A cancelled run has seconds before the runner kills it: containers are stopped without grace. */
const CANCELLED_STOP_SECONDS = 1;
const STOP_SECONDS = 10;

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
  /** The compose model: isolated (ephemeral ports, run labels) when `isolate` is on, else as loaded. */
  config: ComposeConfig;
  /** `up --wait` only when it waits for more than `up -d` does (see servicesOnlyWaitAwaits). */
  waitForHealthy: boolean;
  /** Compose files for `isolate: false` (the user's, plus an images override). */
  plainFiles: readonly string[];
  /** Holds the per-project compose files; removed by the caller. */
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
  const environment = new ComposeEnvironment(
    shared.docker,
    project,
    composeFilesFor(shared, project, targets),
  );
  shared.projectStarting(project);
  try {
    log(`starting environment ${project}`);
    const endpoints = await bringUp(environment, loaded, targets, shared, result);
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
    await finish(environment, shared, result);
    result.durationMs = Math.round(performance.now() - started);
  }
  return result;
}

/** The compose files of one project: the isolated model with its targets published, or the user's files. */
function composeFilesFor(
  shared: SpecRunShared,
  project: string,
  targets: readonly ServicePort[],
): ComposeFiles {
  const { options } = shared;
  let files = shared.plainFiles;
  if (options.isolate) {
    const { config } = publishTargets(shared.config, targets);
    const path = join(shared.tempDir, `${project}.compose.json`);
    writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
    files = [path];
  }
  return { files, projectDirectory: options.workingDirectory, env: options.env };
}

/**
 * `up` (with `--wait` when there are healthchecks), the published ports of
 * the targets, then the readiness probe, all within one budget. Returns the
 * base URL of every target, or undefined after recording the problem.
 */
async function bringUp(
  environment: ComposeEnvironment,
  loaded: LoadedSpec,
  targets: readonly ServicePort[],
  shared: SpecRunShared,
  result: SpecFileResult,
): Promise<Map<string, string> | undefined> {
  const { spec, file } = loaded;
  const { signal } = shared;
  const budgetMs = readinessBudget(spec, shared.options);
  const started = performance.now();
  const remaining = () => budgetMs - (performance.now() - started);
  const location = spec.wait?.location ?? fileStart(file);
  const cancelled = (): undefined => {
    result.problem = { phase: "cancelled", message: "cancelled while starting", location };
    return undefined;
  };

  let up: ProcessResult;
  try {
    up = await environment.up({ wait: shared.waitForHealthy, waitTimeoutMs: budgetMs, signal });
  } catch (error) {
    if (signal.aborted) return cancelled();
    throw error;
  }
  if (signal.aborted) return cancelled();
  if (up.exitCode !== 0 || up.timedOut) {
    const detail = composeErrorDetail(up);
    result.problem = {
      phase: "ready",
      message: `${up.timedOut ? `the environment did not come up in time: docker compose up timed out` : `docker compose up failed (exit code ${up.exitCode})`}${detail ? `: ${detail}` : ""}`,
      location,
    };
    await printUnreadyLogs(environment, targets, shared, file);
    return undefined;
  }

  shared.reporter.debug(`[${file}] docker compose up took ${formatDuration(up.durationMs)}`);
  const endpoints = new Map<string, string>();
  const published = await Promise.all(targets.map((target) => environment.port(target.service, target.port)));
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
    await printUnreadyLogs(environment, targets, shared, file);
    return undefined;
  }
  result.readyMs = Math.round(performance.now() - started);
  shared.reporter.info(`[${file}] ready after ${formatDuration(result.readyMs)}`);
  return endpoints;
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
  outcome.failures = evaluateExpectation(test.expect, response);
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
  shared: SpecRunShared,
  file: string,
): Promise<void> {
  try {
    const entries = await environment.ps();
    const unready = unreadyServices(entries, Object.keys(shared.config.services));
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

/** Saves the logs of a failed environment, then removes it (or keeps it for debugging). */
async function finish(
  environment: ComposeEnvironment,
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
  const down = await environment.down(cancelled ? CANCELLED_STOP_SECONDS : STOP_SECONDS);
  if (down.exitCode === 0 && !down.timedOut) shared.projectGone(environment.project);
  else result.warnings.push(`teardown failed (the post step tries again): ${describeFailure(down)}`);
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
