import type { Spec } from "../spec/spec.js";
import { compareStrings, composeServiceNames, isObject } from "./config.js";
import type { ComposeConfig, ComposeService } from "./types.js";

/** How often readiness is polled: often enough that tests start within a tenth of a second of it. */
export const READINESS_POLL_MS = 100;

/** The spec's `wait.timeout` when it sets one, else the wait-timeout input. */
export function readinessBudget(spec: Spec, options: { waitTimeoutMs: number }): number {
  return spec.wait?.timeoutMs ?? options.waitTimeoutMs;
}

/** The spec's `wait.interval` when it sets one, else {@link READINESS_POLL_MS}. */
export function readinessInterval(spec: Spec): number {
  return spec.wait?.intervalMs ?? READINESS_POLL_MS;
}

/** One container of a compose project, as the readiness rules see it. */
export interface ComposePsEntry {
  name: string;
  service: string;
  /** created, running, restarting, paused, exited, dead, removing. */
  state: string;
  /** "" without a healthcheck, else starting, healthy or unhealthy. */
  health: string;
  exitCode: number | undefined;
}

/**
 * Parses the project's containers as `docker ps` lists them with
 * {@link PROJECT_CONTAINERS_FORMAT}: one JSON object per line (name, service
 * label, state, status). Health and exit code are read from the status
 * (`Up 3 seconds (health: starting)`, `Exited (2) 1 second ago`): `docker ps`
 * is a tenth of the cost of `docker compose ps`, which matters when it is
 * polled every 100 ms beside a starting database. Unparseable output is the
 * environment's fault, so it throws a plain Error.
 */
export function parseProjectContainers(text: string): ComposePsEntry[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => toEntry(parseJson(line)));
}

/** The `docker ps --format` template {@link parseProjectContainers} reads. */
export const PROJECT_CONTAINERS_FORMAT =
  '{"name":{{json .Names}},"service":{{json (.Label "com.docker.compose.service")}},"state":{{json .State}},"status":{{json .Status}}}';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `docker ps did not print JSON (${error instanceof Error ? error.message : String(error)}): ${text.slice(0, 200)}`,
    );
  }
}

function toEntry(row: unknown): ComposePsEntry {
  if (!isObject(row) || typeof row.service !== "string" || row.service === "") {
    throw new Error(`docker ps listed a container without a compose service: ${JSON.stringify(row)}`);
  }
  const status = typeof row.status === "string" ? row.status : "";
  const health = /\((healthy|unhealthy|health: starting)\)/i.exec(status)?.[1]?.toLowerCase() ?? "";
  const exited = /^Exited \((-?\d+)\)/.exec(status);
  return {
    name: typeof row.name === "string" ? row.name : "",
    service: row.service,
    state: typeof row.state === "string" ? row.state.toLowerCase() : "",
    health: health.replace(/^health: /, ""),
    exitCode: exited ? Number(exited[1]) : status.startsWith("Up ") ? 0 : undefined,
  };
}

/** A service that is not (yet) ready, and why: one reason per container. */
export interface UnreadyService {
  service: string;
  /** E.g. "goauth-1 exited (exit code 2)", "goauth-1 health: starting". */
  reasons: string[];
}

export interface ReadinessAssessment {
  /** Every service is running (and healthy, when it has a healthcheck) or has finished with exit 0. */
  ready: boolean;
  /** Containers that cannot become ready any more: exited non-zero without a restart, unhealthy, dead. */
  failed: UnreadyService[];
  /** Containers that may still become ready: starting, restarting, created, or waiting for a restart. */
  waiting: UnreadyService[];
}

/**
 * Decides readiness from the project's containers (all, also stopped) the way compose-test
 * defines it (not `up --wait`, which fails on a one-shot job that exits 0):
 * - running without a healthcheck, or healthy: ready; `starting`: waiting;
 *   `unhealthy`: failed;
 * - exited 0 without a restart policy that restarts it: done (an init,
 *   migrate or seed job), which counts as ready;
 * - exited non-zero without a policy that restarts it: failed;
 * - exited while the service's `restart` (or `deploy.restart_policy`) will
 *   start it again, restarting, created: waiting.
 * A service of the model without a container is waiting (unless it is scaled
 * to 0). A service in `servers` (the tests send requests to it) must keep
 * running: its exit 0 is a failure. Lists are sorted by service name.
 */
export function assessReadiness(
  entries: readonly ComposePsEntry[],
  config: ComposeConfig,
  servers: readonly string[] = [],
): ReadinessAssessment {
  const failed = new Map<string, string[]>();
  const waiting = new Map<string, string[]>();
  const seen = new Set<string>();
  const add = (into: Map<string, string[]>, service: string, reason: string) => {
    into.set(service, [...(into.get(service) ?? []), reason]);
  };
  for (const entry of entries) {
    seen.add(entry.service);
    const service = Object.hasOwn(config.services, entry.service)
      ? config.services[entry.service]
      : undefined;
    const verdict = judgeContainer(entry, restartPolicy(service), servers.includes(entry.service));
    if (verdict.kind === "ready") continue;
    add(
      verdict.kind === "failed" ? failed : waiting,
      entry.service,
      `${entry.name || entry.service} ${verdict.reason}`,
    );
  }
  for (const name of composeServiceNames(config)) {
    if (!seen.has(name) && !scaledToZero(config.services[name])) add(waiting, name, "no container yet");
  }
  return {
    ready: failed.size === 0 && waiting.size === 0,
    failed: sortedServices(failed),
    waiting: sortedServices(waiting),
  };
}

type RestartPolicy = "no" | "always" | "on-failure";

function restartPolicy(service: ComposeService | undefined): RestartPolicy {
  const restart = typeof service?.restart === "string" ? service.restart : undefined;
  if (restart !== undefined) {
    if (restart === "always" || restart === "unless-stopped") return "always";
    return restart.startsWith("on-failure") ? "on-failure" : "no";
  }
  const deploy = isObject(service?.deploy) ? service.deploy : undefined;
  const policy = isObject(deploy?.restart_policy) ? deploy.restart_policy : undefined;
  if (policy === undefined) return "no";
  // deploy.restart_policy defaults to `any`.
  const condition = typeof policy.condition === "string" ? policy.condition : "any";
  return condition === "any" ? "always" : condition === "on-failure" ? "on-failure" : "no";
}

function judgeContainer(
  entry: ComposePsEntry,
  policy: RestartPolicy,
  server: boolean,
): { kind: "ready" } | { kind: "failed" | "waiting"; reason: string } {
  switch (entry.state) {
    case "running":
      if (entry.health === "" || entry.health === "healthy") return { kind: "ready" };
      return { kind: entry.health === "unhealthy" ? "failed" : "waiting", reason: `health: ${entry.health}` };
    case "exited": {
      const code = entry.exitCode ?? -1;
      const exited = `exited (exit code ${entry.exitCode ?? "unknown"})`;
      const restarts = policy === "always" || (policy === "on-failure" && code !== 0);
      if (restarts) return { kind: "waiting", reason: `${exited}, to be restarted (restart: ${policy})` };
      if (code !== 0) return { kind: "failed", reason: exited };
      return server
        ? { kind: "failed", reason: `${exited}, but the tests send requests to it` }
        : { kind: "ready" };
    }
    case "dead":
    case "paused":
      return { kind: "failed", reason: entry.state };
    default:
      return { kind: "waiting", reason: entry.state || "in an unknown state" };
  }
}

function scaledToZero(service: ComposeService | undefined): boolean {
  const deploy = isObject(service?.deploy) ? service.deploy : undefined;
  return service?.scale === 0 || deploy?.replicas === 0;
}

function sortedServices(reasons: Map<string, string[]>): UnreadyService[] {
  return [...reasons.keys()]
    .sort(compareStrings)
    .map((service) => ({ service, reasons: reasons.get(service)! }));
}
