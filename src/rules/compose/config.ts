import type { ComposeConfig } from "./types.js";

/**
 * Parses the stdout of `docker compose config --format json`. A malformed
 * result is not the user's doing (compose validated their file before
 * printing), so it throws a plain Error that says what was expected.
 */
export function parseComposeConfig(text: string): ComposeConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `docker compose config did not print JSON (${error instanceof Error ? error.message : String(error)}); is Compose v2 installed?`,
    );
  }
  if (!isObject(parsed) || !isObject(parsed.services)) {
    throw new Error("docker compose config printed JSON without a 'services' map");
  }
  for (const [name, service] of Object.entries(parsed.services)) {
    if (!isObject(service)) throw new Error(`docker compose config: service '${name}' is not an object`);
    const ports = service.ports;
    if (ports === undefined || ports === null) continue;
    // Only the long form is handled; `config` always prints it, so anything else means unexpected input.
    if (!Array.isArray(ports) || !ports.every((p) => isObject(p) && typeof p.target === "number")) {
      throw new Error(
        `docker compose config: service '${name}' has ports that are not in long form ({target, published, ...})`,
      );
    }
  }
  return parsed as ComposeConfig;
}

/** The services' names, sorted so messages and reports are stable. */
export function composeServiceNames(config: ComposeConfig): string[] {
  return Object.keys(config.services).sort(compareStrings);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Compose accepts labels as a map or as `KEY=VALUE` strings; rewrites always write a map. */
export function labelMap(labels: unknown): Record<string, string> {
  if (isObject(labels)) {
    return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, String(value)]));
  }
  if (!Array.isArray(labels)) return {};
  const map: Record<string, string> = {};
  for (const entry of labels) {
    const text = String(entry);
    const eq = text.indexOf("=");
    if (eq === -1) map[text] = "";
    else map[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return map;
}
