/**
 * Where a failing Go test failed, read from its output: the last
 * `    file_test.go:42: message` line (t.Errorf, t.Fatalf), the first stack
 * frame in the package under test after a `panic:` line, or the test's own
 * frame in a `-race` report.
 */
export interface GoTestFailure {
  kind: "assertion" | "panic" | "race";
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
/** A race report's frame: `  example.com/app/auth.TestX.func1()` then `      /src/auth/x_test.go:12 +0x3a`. */
const RACE_FUNCTION = /^ {2}(\S.*\))$/;
const RACE_LOCATION = /^ {6}(\S.*\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;
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
 * located, rather than pointed at a log line that did not fail. A data race
 * (testing's `race detected during execution of test`, at testing.go) is
 * located at the frame of the test `testName` in the race report, else at
 * the report's first frame in the package.
 */
export function locateTestFailure(
  lines: readonly string[],
  packagePath: string,
  testName?: string,
): GoTestFailure | undefined {
  const panicAt = lines.findIndex((line) => line.startsWith("panic: "));
  if (panicAt !== -1) {
    const message = panicMessage(lines[panicAt] ?? "");
    const frame = findPackageFrame(lines.slice(panicAt + 1), packagePath);
    return frame ? { kind: "panic", file: frame.file, line: frame.line, message } : undefined;
  }
  const messages = parseTestMessages(lines);
  const last = messages.filter((message) => !isRaceDetected(message)).at(-1);
  const raceAt = lines.indexOf("WARNING: DATA RACE");
  if (raceAt !== -1) {
    const race = locateRace(lines.slice(raceAt + 1), packagePath, testName);
    if (race) return race;
  }
  return last ? { kind: "assertion", ...last } : undefined;
}

function isRaceDetected(message: GoTestMessage): boolean {
  return message.file === "testing.go" && message.message === "race detected during execution of test";
}

/** The race report's access line (`Read at 0x… by goroutine 8:`) and the frame of the test, or of its package. */
function locateRace(
  lines: readonly string[],
  packagePath: string,
  testName: string | undefined,
): GoTestFailure | undefined {
  const access = (lines[0] ?? "").replace(/:$/, "");
  const topLevel = testName?.split("/")[0];
  const frames: { pkg: string; call: string; file: string; line: number }[] = [];
  for (let i = 0; i + 1 < lines.length && lines[i] !== "=================="; i++) {
    const call = RACE_FUNCTION.exec(lines[i] ?? "")?.[1];
    const location = RACE_LOCATION.exec(lines[i + 1] ?? "");
    if (call === undefined || !location) continue;
    const pkg = functionPackage(call);
    if (pkg !== packagePath && pkg !== `${packagePath}_test`) continue;
    const path = location[1] ?? "";
    frames.push({ pkg, call, file: baseName(path), line: Number(location[2]) });
  }
  const own =
    topLevel === undefined
      ? undefined
      : frames.find((frame) => {
          const name = frame.call.slice(frame.pkg.length + 1).replace(/\(.*$/, "");
          return name === topLevel || name.startsWith(`${topLevel}.`);
        });
  const frame = own ?? frames[0];
  if (!frame) return undefined;
  const message = access === "" ? "data race" : `data race: ${access}`;
  return { kind: "race", file: frame.file, line: frame.line, message };
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
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
      return { file: baseName(location[1] ?? ""), line: Number(location[2]) };
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
