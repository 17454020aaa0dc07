/**
 * Where a failing Go test failed, read from its output: the last
 * `    file_test.go:42: message` line (t.Errorf, t.Fatalf), or the first stack
 * frame in the package under test after a `panic:` line.
 */
export interface GoTestFailure {
  kind: "assertion" | "panic";
  /** The file's base name; it lives in the test's package directory. */
  file: string;
  line: number;
  /** The assertion's text with its continuation lines, or the `panic: ...` line. */
  message: string;
}

/** A `file.go:line: message` block from t.Log/t.Error/t.Skip output. */
export interface GoTestMessage {
  file: string;
  line: number;
  message: string;
}

/** `    auth_test.go:42: expected 200, got 409`: testing's prefix, indented 4 or more spaces. */
const MESSAGE_HEADER = /^( {4,})([^\s:]+\.go):(\d+): ?(.*)$/;
/** A frame's location line: `\t/src/internal/auth/auth_test.go:42 +0x1d` (no offset for inlined frames). */
const FRAME_LOCATION = /^\t(.+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;
/** `ok`, `FAIL`, `PASS` and `?` lines say how the package ended, not why. */
const RESULT_LINE = /^(?:ok|FAIL|PASS|\?)(?:\s|$)/;

/**
 * Every `file.go:line: message` block in test output, in order. testing
 * indents a message's later lines 4 more spaces than its first; they are
 * joined to the message with that indentation removed.
 */
export function parseTestMessages(lines: readonly string[]): GoTestMessage[] {
  const messages: GoTestMessage[] = [];
  let current: { indent: string; message: GoTestMessage; lines: string[] } | undefined;
  const close = () => {
    if (!current) return;
    current.message.message = trimBlankLines(current.lines).join("\n");
    messages.push(current.message);
    current = undefined;
  };
  for (const line of lines) {
    if (current && line.startsWith(`${current.indent}    `)) {
      current.lines.push(line.slice(current.indent.length + 4).trimEnd());
      continue;
    }
    close();
    const match = MESSAGE_HEADER.exec(line);
    if (match) {
      const [, indent = "", file = "", lineNumber = "", text = ""] = match;
      current = { indent, message: { file, line: Number(lineNumber), message: "" }, lines: [text.trimEnd()] };
    }
  }
  close();
  return messages;
}

/**
 * Locates a failure in a test's output lines. `packagePath` is the import
 * path of the package under test; frames of its external test package
 * (`<path>_test`) count too. A panic without a frame in the package is not
 * located, rather than pointed at a log line that did not fail.
 */
export function locateTestFailure(lines: readonly string[], packagePath: string): GoTestFailure | undefined {
  const panicAt = lines.findIndex((line) => line.startsWith("panic: "));
  if (panicAt !== -1) {
    const message = panicMessage(lines[panicAt] ?? "");
    const frame = findPackageFrame(lines.slice(panicAt + 1), packagePath);
    return frame ? { kind: "panic", file: frame.file, line: frame.line, message } : undefined;
  }
  const last = parseTestMessages(lines).at(-1);
  return last ? { kind: "assertion", ...last } : undefined;
}

/**
 * A few words on why a test or package failed, for when there is no
 * location: the panic, else the last message block, else the last output lines.
 */
export function summarizeTestOutput(lines: readonly string[], maxLines = 5): string {
  const panicLine = lines.find((line) => line.startsWith("panic: "));
  if (panicLine !== undefined) return panicMessage(panicLine);
  const last = parseTestMessages(lines).at(-1);
  if (last) return last.message;
  return lines
    .filter((line) => line.trim() !== "" && !RESULT_LINE.test(line))
    .slice(-maxLines)
    .join("\n");
}

/** `panic: boom [recovered]` (and Go 1.25's `[recovered, repanicked]`) → `panic: boom`. */
function panicMessage(line: string): string {
  return line.replace(/ \[recovered[^\]]*\]$/, "");
}

function findPackageFrame(
  lines: readonly string[],
  packagePath: string,
): { file: string; line: number } | undefined {
  for (let i = 0; i + 1 < lines.length; i++) {
    const location = FRAME_LOCATION.exec(lines[i + 1] ?? "");
    const call = lines[i] ?? "";
    if (!location || call === "" || /^\s/.test(call)) continue;
    const pkg = functionPackage(call.replace(/^created by /, ""));
    if (pkg === packagePath || pkg === `${packagePath}_test`) {
      const path = location[1] ?? "";
      return {
        file: path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1),
        line: Number(location[2]),
      };
    }
  }
  return undefined;
}

/**
 * The import path in a frame's function line: `example.com/app/auth.(*T).Run(0x1)`
 * → `example.com/app/auth`. The path ends at the first `.` after its last `/`;
 * arguments and type parameters are cut first, as they may hold `/` too.
 */
export function functionPackage(call: string): string {
  const cut = call.search(/[([]/);
  const head = cut === -1 ? call : call.slice(0, cut);
  const dot = head.indexOf(".", head.lastIndexOf("/") + 1);
  return dot === -1 ? head : head.slice(0, dot);
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.trim() === "") start++;
  while (end > start && lines[end - 1]?.trim() === "") end--;
  return lines.slice(start, end);
}
