/**
 * How goflow writes numbers and text for people, in logs, summaries and
 * errors: one place, so every stage says "1.5 s" and "12.3 MiB" the same way.
 * (Spec files' own duration syntax, `1m30s`, is rules/spec/duration.ts.)
 */

/** `742 ms`, `1.5 s`, `2 min 5 s` (whole seconds past a minute, so never `1 min 60 s`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(Math.max(0, ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
}

/** `12 KiB`, `3.4 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** `1 test`, `2 tests`. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The last `count` lines of `text` (trimmed), joined with `separator`: the tail of a command's output for a message. */
export function lastLines(text: string, count: number, separator = "\n"): string {
  return text.trim().split("\n").slice(-count).join(separator);
}
