/**
 * Reading what the `docker compose` CLI prints: published ports, the lines of
 * a failed command that say why, and the ANSI sequences compose writes even
 * with `--ansi never`.
 */

/** A host address and port where a container port is published. */
export interface PublishedPort {
  host: string;
  port: number;
}

/**
 * Reads `docker compose port` output: `127.0.0.1:49153`, `0.0.0.0:9000`,
 * `[::]:9000` or `:::9000`. A wildcard address is reached on loopback.
 */
export function parsePublishedPort(output: string): PublishedPort | undefined {
  const line = output.trim().split("\n")[0]?.trim() ?? "";
  const match = /^(.*):(\d{1,5})$/.exec(line);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  let host = (match[1] ?? "").replace(/^\[(.*)\]$/, "$1");
  if (host === "" || host === "0.0.0.0" || host === "::") host = "127.0.0.1";
  return { host: host.includes(":") ? `[${host}]` : host, port };
}

// Compose's progress lines (` Container x  Started`), noise next to the error at the end.
const PROGRESS_LINE = /^\s*(?:Container|Network|Volume|Image)\s+\S+\s+\S+$/;

/** The lines of a failed compose command that say why: its stderr without progress lines, the last few. */
export function composeErrorDetail(output: { stdout: string; stderr: string }, lines = 5): string {
  const text = stripAnsi(output.stderr.trim() || output.stdout.trim());
  const meaningful = text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "" && !PROGRESS_LINE.test(line));
  return meaningful.slice(-lines).join("\n").trim();
}

// CSI sequences (colours, erase-line, cursor moves): ESC [ parameters intermediates final.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ESC is the point.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// A sequence cut off at the end of a chunk: kept for the next one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ESC is the point.
const PARTIAL_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*)?$/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, "");
}

/**
 * One chunk of a stream without its ANSI sequences, and the start of a
 * sequence cut off at its end (`carry`), to be put before the next chunk.
 */
export function stripAnsiChunk(text: string): { text: string; carry: string } {
  const partial = PARTIAL_SEQUENCE.exec(text);
  if (!partial) return { text: stripAnsi(text), carry: "" };
  return { text: stripAnsi(text.slice(0, partial.index)), carry: partial[0] };
}
