import { compareStrings, composeServiceNames, isObject } from "./config.js";
import type { ComposeConfig, ComposeHealthcheck } from "./types.js";

/**
 * Services whose compose file declares a healthcheck (`up --wait` waits for
 * them to be healthy, for the rest only to be running). A HEALTHCHECK baked
 * into an image is not visible in the config: `docker compose ps` is the
 * authority on health once containers exist.
 */
export function servicesWithHealthcheck(config: ComposeConfig): string[] {
  return composeServiceNames(config).filter((name) =>
    declaresHealthcheck(config.services[name]?.healthcheck),
  );
}

function declaresHealthcheck(healthcheck: ComposeHealthcheck | undefined): boolean {
  if (!healthcheck || healthcheck.disable === true) return false;
  const test = healthcheck.test;
  if (test === undefined) return false;
  // ["NONE"] is compose's other way to switch a healthcheck off.
  const first = Array.isArray(test) ? test[0] : test;
  return first !== undefined && first !== "NONE";
}

/** One container from `docker compose ps --format json`. */
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
 * Parses `docker compose ps --format json`: Compose before 2.21 prints one
 * JSON array, later versions one JSON object per line; no containers prints
 * nothing (or `[]`). Unparseable output is the environment's fault, so it
 * throws a plain Error.
 */
export function parseComposePs(text: string): ComposePsEntry[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const rows: unknown[] = trimmed.startsWith("[")
    ? asArray(parseJson(trimmed))
    : trimmed
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "")
        .map(parseJson);
  return rows.map(toEntry);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `docker compose ps did not print JSON (${error instanceof Error ? error.message : String(error)}): ${text.slice(0, 200)}`,
    );
  }
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value))
    throw new Error("docker compose ps printed JSON that is not an array of containers");
  return value;
}

function toEntry(row: unknown): ComposePsEntry {
  if (!isObject(row) || typeof row.Service !== "string") {
    throw new Error(`docker compose ps printed a container without a Service: ${JSON.stringify(row)}`);
  }
  return {
    name: typeof row.Name === "string" ? row.Name : "",
    service: row.Service,
    state: typeof row.State === "string" ? row.State.toLowerCase() : "",
    health: typeof row.Health === "string" ? row.Health.toLowerCase() : "",
    exitCode: typeof row.ExitCode === "number" ? row.ExitCode : undefined,
  };
}

/** A service to print the logs of after a readiness timeout, and why. */
export interface UnreadyService {
  service: string;
  /** One per container, e.g. "goauth-1 exited (exit code 2)", "goauth-1 health: starting". */
  reasons: string[];
}

/**
 * Picks the services whose logs explain a readiness timeout: any container not
 * running (an exit 0 is kept too, since a server that stops cleanly is still
 * the likely cause), or running with a health other than healthy. Services in
 * `expected` without any container are reported as such (a dependency failed
 * before they were created). Sorted by service name.
 */
export function unreadyServices(
  entries: readonly ComposePsEntry[],
  expected: readonly string[] = [],
): UnreadyService[] {
  const reasons = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const entry of entries) {
    seen.add(entry.service);
    const reason = unreadyReason(entry);
    if (reason === undefined) continue;
    const list = reasons.get(entry.service) ?? [];
    list.push(`${entry.name || entry.service} ${reason}`);
    reasons.set(entry.service, list);
  }
  for (const service of expected) {
    if (!seen.has(service)) reasons.set(service, ["no container (it was never created)"]);
  }
  return [...reasons.keys()]
    .sort(compareStrings)
    .map((service) => ({ service, reasons: reasons.get(service)! }));
}

function unreadyReason(entry: ComposePsEntry): string | undefined {
  if (entry.state !== "running") {
    const code =
      entry.state === "exited" && entry.exitCode !== undefined ? ` (exit code ${entry.exitCode})` : "";
    return `${entry.state || "in an unknown state"}${code}`;
  }
  if (entry.health !== "" && entry.health !== "healthy") return `health: ${entry.health}`;
  return undefined;
}
