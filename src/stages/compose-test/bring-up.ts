import type { SourceLocation } from "../../errors.js";
import { checkStatus, describeStatusExpectation } from "../../rules/assert/expectation.js";
import {
  assessReadiness,
  type ComposeTarget,
  composeErrorDetail,
  isSubnetConflict,
  READINESS_POLL_MS,
  type ReadinessAssessment,
  readinessBudget,
  readinessInterval,
  requestUrl,
  servicePortKey,
  stripAnsi,
  unpublishedPortHint,
} from "../../rules/compose/index.js";
import { formatDuration } from "../../rules/format.js";
import { interpolateRequest } from "../../rules/spec/interpolation.js";
import type { ComposeEnvironment } from "../../runtime/compose.js";
import { describeFailure, type ProcessResult } from "../../runtime/process.js";
import { moveToOtherSubnets, type PreparedEnvironment } from "./environment.js";
import {
  type PollPace,
  type ProbeResult,
  pollUntil,
  probeUntilReady,
  type ReadinessProbe,
} from "./polling.js";
import type { SpecFileResult } from "./results.js";
import { fileStart, type LoadedSpec, type SpecRunShared } from "./spec-run-shared.js";

/** Lines of each unready service's log printed after a readiness failure. */
const UNREADY_LOG_LINES = 100;
/** How often `up` is tried when a moved subnet was taken meanwhile by a network of another run. */
const SUBNET_ATTEMPTS = 4;

/** One environment on its way up: what it runs, and where a problem goes. */
interface Starting {
  environment: ComposeEnvironment;
  loaded: LoadedSpec;
  targets: readonly ComposeTarget[];
  prepared: PreparedEnvironment;
  shared: SpecRunShared;
  result: SpecFileResult;
}

/**
 * Builds what the environment builds (outside the readiness budget), then
 * `up`, and waits, all within one budget, until every service is running
 * (healthy, when it has a healthcheck) or has finished with exit 0 and the
 * readiness probe passes. Returns the base URL of every target, or undefined
 * after recording the problem.
 */
export async function bringUp(starting: Starting): Promise<Map<string, string> | undefined> {
  const { loaded, shared, result } = starting;
  const location = loaded.spec.wait?.location ?? fileStart(loaded.file);
  const fail = async (message: string): Promise<undefined> => {
    result.problem = { phase: "ready", message, location };
    await printUnreadyLogs(starting);
    return undefined;
  };
  const cancelled = (): undefined => {
    result.problem = { phase: "cancelled", message: "cancelled while starting", location };
    return undefined;
  };
  if (!(await buildImages(starting, location))) return shared.signal.aborted ? cancelled() : undefined;

  const budgetMs = readinessBudget(loaded.spec, shared.options);
  const started = performance.now();
  const remaining = () => budgetMs - (performance.now() - started);
  const up = await startContainers(starting, remaining);
  if (up === undefined || shared.signal.aborted) return cancelled();
  if (up.exitCode !== 0 || up.timedOut) {
    const detail = composeErrorDetail(up);
    const what = up.timedOut
      ? "the environment did not come up in time: docker compose up timed out"
      : `docker compose up failed (exit code ${up.exitCode})`;
    return fail(`${what}${detail ? `: ${detail}` : ""}`);
  }
  shared.reporter.debug(`[${loaded.file}] docker compose up took ${formatDuration(up.durationMs)}`);

  const readiness = await awaitReadiness(starting, remaining, started);
  if (shared.signal.aborted) return cancelled();
  if (readiness.kind === "services") {
    const { failed, waiting } = readiness.assessment;
    const unready = [...failed, ...waiting].map((s) => `${s.service}: ${s.reasons.join("; ")}`);
    return fail(
      failed.length > 0
        ? `a service failed to start: ${unready.join(" | ")}`
        : `the environment was not ready within ${formatDuration(budgetMs)}: ${unready.join(" | ")}`,
    );
  }
  if (readiness.kind === "probe") {
    const wait = loaded.spec.wait;
    const expected = wait ? describeStatusExpectation(wait.status) : "any HTTP response";
    const { what, last } = readiness.probe;
    return fail(
      `the environment was not ready within ${formatDuration(budgetMs)}: ${what} never answered ${expected} (last: ${last ?? "nothing"})`,
    );
  }
  result.readyMs = Math.round(performance.now() - started);
  shared.reporter.info(`[${loaded.file}] ready after ${formatDuration(result.readyMs)}`);
  return readiness.endpoints;
}

/**
 * `up`, tried again on other subnets when another job on this engine took a
 * moved subnet after we chose it. Undefined when cancelled.
 */
async function startContainers(
  { environment, loaded, prepared, shared }: Starting,
  remaining: () => number,
): Promise<ProcessResult | undefined> {
  const { signal } = shared;
  for (let attempt = 1; ; attempt++) {
    let up: ProcessResult;
    try {
      up = await environment.up({ timeoutMs: Math.max(remaining(), 1000), signal });
    } catch (error) {
      if (signal.aborted) return undefined;
      throw error;
    }
    if (signal.aborted) return undefined;
    const conflict =
      up.exitCode !== 0 && !up.timedOut && prepared.subnets.length > 0 && isSubnetConflict(up.stderr);
    if (!conflict || attempt >= SUBNET_ATTEMPTS) return up;
    shared.reporter.info(
      `[${loaded.file}] ${composeErrorDetail(up)}; moving to other subnets (attempt ${attempt + 1} of ${SUBNET_ATTEMPTS})`,
    );
    await environment.down(0);
    await moveToOtherSubnets(shared, environment.project, prepared);
  }
}

type Readiness =
  | { kind: "ready"; endpoints: Map<string, string> }
  | { kind: "services"; assessment: ReadinessAssessment }
  | { kind: "probe"; probe: ProbeResult };

/**
 * Waits for the services (their containers' states) and probes the targets side by side: each
 * target's port is looked up (all in parallel) and probed from the moment it
 * is published, so readiness costs nothing beyond the services' own start.
 * Ready means what it always meant: every service ready and every probe
 * passed; services that fail or run out of time are reported first.
 */
async function awaitReadiness(
  starting: Starting,
  remaining: () => number,
  started: number,
): Promise<Readiness> {
  const { environment, loaded, targets, shared } = starting;
  // Planned first: a wait request that cannot be interpolated fails before any loop starts.
  const planned = readinessProbes(loaded, targets, shared);
  const stop = new AbortController();
  const pace: PollPace = {
    intervalMs: READINESS_POLL_MS,
    remaining,
    signal: AbortSignal.any([shared.signal, stop.signal]),
  };
  let settled = false;
  const services = awaitServices(starting, pace).finally(() => {
    settled = true;
  });
  const endpoints = new Map(
    targets.map((target) => [
      servicePortKey(target),
      awaitEndpoint(environment, target, pace, () => settled),
    ]),
  );
  const probes = planned.map(async ({ target, intervalMs, probe }) => {
    const base = target === undefined ? "" : await endpointOf(endpoints, target);
    return base === undefined ? undefined : probeUntilReady(probe(base), { ...pace, intervalMs });
  });
  // Every loop is awaited below, but an early return must not leave a rejection unobserved.
  for (const pending of [services, ...endpoints.values(), ...probes]) pending.catch(() => undefined);
  try {
    const assessment = await services;
    if (!assessment.ready) return { kind: "services", assessment };
    const bases = await publishedEndpoints(starting, endpoints);
    shared.reporter.debug(
      `[${loaded.file}] endpoints after ${formatDuration(performance.now() - started)}: ${[...bases].map(([k, v]) => `${k} → ${v}`).join(", ")}`,
    );
    const probed = await Promise.all(probes);
    for (const [i, plan] of planned.entries()) {
      // A port published only at the last look was not probed yet.
      const base = plan.target === undefined ? "" : (bases.get(servicePortKey(plan.target)) ?? "");
      const probe =
        probed[i] ?? (await probeUntilReady(plan.probe(base), { ...pace, intervalMs: plan.intervalMs }));
      if (!probe.ready) return { kind: "probe", probe };
    }
    return { kind: "ready", endpoints: bases };
  } finally {
    stop.abort();
  }
}

/**
 * Polls the project's containers until every service is ready (see
 * assessReadiness), one fails, or the budget is spent (at least one look).
 */
function awaitServices(
  { environment, targets, prepared }: Starting,
  pace: PollPace,
): Promise<ReadinessAssessment> {
  const servers = targets.map((target) => target.service);
  return pollUntil(
    async () => assessReadiness(await environment.ps(), prepared.config, servers),
    (assessment) => assessment.ready || assessment.failed.length > 0,
    pace,
  );
}

/** A target's base URL once its port is published; undefined when the services settled (or time ran out) first. */
async function awaitEndpoint(
  environment: ComposeEnvironment,
  target: ComposeTarget,
  pace: PollPace,
  servicesSettled: () => boolean,
): Promise<string | undefined> {
  const published = await pollUntil(
    () => environment.publishedPort(target.service, target.port),
    (port) => port !== undefined || servicesSettled(),
    pace,
  );
  return published === undefined ? undefined : `http://${published.host}:${published.port}`;
}

function endpointOf(
  endpoints: ReadonlyMap<string, Promise<string | undefined>>,
  target: ComposeTarget,
): Promise<string | undefined> {
  const key = servicePortKey(target);
  return endpoints.get(key) ?? Promise.reject(new Error(`no published port for ${key}`));
}

/** Every target's base URL, once every service is ready; a port still not published fails with what to do. */
async function publishedEndpoints(
  { environment, targets, prepared, shared }: Starting,
  endpoints: ReadonlyMap<string, Promise<string | undefined>>,
): Promise<Map<string, string>> {
  const bases = new Map<string, string>();
  for (const target of targets) {
    const key = servicePortKey(target);
    let base = await endpoints.get(key);
    if (base === undefined) {
      const hint = unpublishedPortHint(prepared.config, target, shared.options.isolate);
      // Throws with the hint when the port is still not published.
      const published = await environment.port(target.service, target.port, hint);
      base = `http://${published.host}:${published.port}`;
    }
    bases.set(key, base);
  }
  return bases;
}

/** A probe that decides readiness, with the target whose base URL it needs (none for a wait request to a URL). */
interface PlannedProbe {
  target: ComposeTarget | undefined;
  intervalMs: number;
  probe: (base: string) => ReadinessProbe;
}

/** The spec's `wait` request; without one, every target must answer HTTP at all (any status) on `/`. */
function readinessProbes(
  loaded: LoadedSpec,
  targets: readonly ComposeTarget[],
  shared: SpecRunShared,
): PlannedProbe[] {
  const wait = loaded.spec.wait;
  if (wait === undefined) {
    return targets.map((target) => ({
      target,
      intervalMs: READINESS_POLL_MS,
      probe: (base) => ({
        request: {
          method: "GET",
          url: `${base}/`,
          headers: [],
          body: undefined,
          timeoutMs: 5_000,
          followRedirects: false,
        },
        accept: () => true,
      }),
    }));
  }
  const resolved = interpolateRequest(wait.request, {}, shared.env);
  const destination = resolved.destination;
  const target =
    destination.kind === "service" ? { service: destination.service, port: destination.port } : undefined;
  return [
    {
      target,
      intervalMs: readinessInterval(loaded.spec),
      probe: (base) => ({
        request: {
          method: resolved.method,
          url: requestUrl(
            resolved,
            target === undefined ? new Map() : new Map([[servicePortKey(target), base]]),
          ),
          headers: resolved.headers,
          body: resolved.body,
          timeoutMs: resolved.timeoutMs,
          followRedirects: resolved.followRedirects,
        },
        accept: (status) => checkStatus(wait.status, status),
      }),
    },
  ];
}

/** `docker compose build` of the environment's build services, its output in a log group; false on failure. */
async function buildImages(
  { environment, prepared, shared, result }: Starting,
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

/** The logs of what is not running or not healthy, and of the targets, printed after a readiness failure. */
async function printUnreadyLogs({ environment, targets, prepared, shared, result }: Starting): Promise<void> {
  try {
    const entries = await environment.ps();
    const assessment = assessReadiness(
      entries,
      prepared.config,
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
    await shared.reporter.group(`[${result.file}] logs of ${services.join(", ")}`, async () =>
      shared.reporter.info(text),
    );
  } catch (error) {
    shared.reporter.warning(
      `[${result.file}] could not read the compose logs: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
