import { ConfigurationError, type SourceLocation } from "../../errors.js";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * Reads a duration as written in a spec: `500ms`, `60s`, `2m`, `1h`, Go-style
 * sums like `1m30s`, or a bare number of seconds (YAML `timeout: 60`).
 * Returns whole milliseconds; negative durations are rejected.
 */
export function parseDuration(value: string | number, location?: SourceLocation): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigurationError(
        `${value} is not a duration; give a number of seconds of 0 or more`,
        location,
      );
    }
    return Math.round(value * 1000);
  }
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!DURATION_PATTERN.test(text)) {
    throw new ConfigurationError(
      `'${value}' is not a duration; write it like 500ms, 60s, 2m or 1m30s, or as a number of seconds`,
      location,
    );
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) {
    total += Number(amount) * (UNIT_MS[unit ?? ""] ?? 0);
  }
  return Math.round(total);
}

/** The inverse for messages: `742ms`, `1.5s`, `2m`, `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Number(((ms % 60_000) / 1000).toFixed(3));
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}
