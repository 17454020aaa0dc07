import type { Finding } from "../report/finding.js";
import { joinWorkspacePath } from "./workspace-path.js";

export interface CompilerOutputOptions {
  /** The directory Go ran in, relative to the workspace root; paths are joined onto it. */
  baseDir?: string;
  /** The annotation title; `go build` unless given. */
  title?: string;
}

/** `./main.go:12:5: undefined: foo`, `main.go:12: msg`, `vet: x.go:1:2: msg`. */
const DIAGNOSTIC = /^(?:vet: )?(\S(?:.*?\S)?\.go):(\d+)(?::(\d+))?: ?(.*)$/;

/**
 * Error findings for the `file:line[:col]: message` lines of `go build`,
 * `go vet` or a `build-output` event's text. `# pkg` headers and
 * `too many errors` are skipped; tab-indented lines (`\thave (int)`) continue
 * the message above. Duplicates (vet repeats type errors) are dropped.
 */
export function parseCompilerOutput(text: string, options: CompilerOutputOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let last: Finding | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const match = DIAGNOSTIC.exec(line);
    if (match) {
      const [, file = "", lineNumber = "", column, message = ""] = match;
      const finding: Finding = {
        severity: "error",
        title: options.title ?? "go build",
        message,
        location: { file: joinWorkspacePath(options.baseDir, file), line: Number(lineNumber) },
      };
      if (column !== undefined && finding.location) finding.location.column = Number(column);
      const key = JSON.stringify([finding.location, message]);
      last = seen.has(key) ? undefined : finding;
      if (last) {
        seen.add(key);
        findings.push(last);
      }
    } else if (last && line.startsWith("\t")) {
      last.message += `\n${line.slice(1)}`;
    } else {
      last = undefined;
    }
  }
  return findings;
}
