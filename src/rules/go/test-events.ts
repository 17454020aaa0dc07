import { type GoTestFailure, locateTestFailure, parseTestMessages } from "./test-failure.js";

/** One line of `go test -json` (cmd/test2json's TestEvent, Go 1.24). */
export interface GoTestEvent {
  Time?: string;
  /** start run pause cont pass fail skip output bench, and build-output build-fail (Go 1.24). */
  Action: string;
  Package?: string;
  Test?: string;
  /** Seconds. */
  Elapsed?: number;
  Output?: string;
  /** On a package's `fail`: the ImportPath of the build that failed it. */
  FailedBuild?: string;
  /** On build-output/build-fail, instead of Package; may carry a ` [pkg.test]` suffix. */
  ImportPath?: string;
}

export type GoTestStatus = "pass" | "fail" | "skip";

/**
 * How a test ended over all its runs: `flaky` when a run failed and a later
 * run passed (`-count=N`, or a rerun of the failed tests).
 */
export type GoTestOutcome = GoTestStatus | "flaky";

/** A failed run of a test that ran again later (`-count=N`, reruns). */
export interface GoTestRun {
  elapsed: number;
  /** That run's output, without testing's framing lines. */
  output: string[];
  failure?: GoTestFailure;
}

export interface GoTest {
  /** `TestX`, or `TestX/sub` for a subtest. */
  name: string;
  package: string;
  status: GoTestOutcome;
  /** Seconds, as go test reports them. */
  elapsed: number;
  /** The test's output without testing's `=== RUN` / `--- FAIL:` framing lines. */
  output: string[];
  /** False when no pass/fail/skip event came (a timeout, a crash, a benchmark): the status follows the package's. */
  ended: boolean;
  /**
   * Where it failed. A panic that test2json attributes to a parent (it is
   * printed after the parent's `--- FAIL`) is given to the subtest that panicked.
   */
  failure?: GoTestFailure;
  /** The t.Skip message of a skipped test. */
  skipMessage?: string;
  /** The failed runs before the last one, oldest first; absent when the test ran once or never failed before. */
  failedRuns?: GoTestRun[];
}

/** A build (compile or vet) that failed while preparing a test binary. */
export interface GoBuildFailure {
  /** As go printed it: `example.com/app/auth [example.com/app/auth.test]`. */
  importPath: string;
  /** The build's output lines, `# pkg` headers included. */
  output: string[];
}

export interface GoTestPackage {
  name: string;
  /** `skip` when the package has no test files. A package whose run never ended counts as failed. */
  status: GoTestStatus;
  elapsed: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  /** Every test and subtest, in the order they first appeared. */
  tests: GoTest[];
  /** Output outside any test: `FAIL`, `ok  \tpkg\t0.01s`, TestMain's prints. */
  output: string[];
  buildFailure?: GoBuildFailure;
}

export interface GoTestTotals {
  /** Tests and subtests alike, as each is one test case. */
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Failed in a run, passed in a later one; counted in neither passed nor failed. */
  flaky: number;
  packages: number;
  failedPackages: number;
  /** The sum of the packages' elapsed seconds (packages run in parallel: not wall time). */
  elapsed: number;
}

export interface GoTestResult {
  packages: GoTestPackage[];
  /** Each failed build once, even when several packages failed because of it. */
  buildFailures: GoBuildFailure[];
  totals: GoTestTotals;
  /** Lines that were not test events (go's plain-text messages when stderr is merged in). */
  unparsed: string[];
}

/** testing's own progress lines; the events already carry what they say. */
const FRAMING = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)(?:\s|$)|--- (?:PASS|FAIL|SKIP|BENCH): )/;

interface TestState {
  name: string;
  text: string;
  status?: GoTestStatus;
  elapsed: number;
  /** Runs that ended before this one began. */
  earlier: { text: string; status: GoTestStatus; elapsed: number }[];
}

interface PackageState {
  name: string;
  text: string;
  status?: GoTestStatus;
  elapsed: number;
  failedBuild?: string;
  tests: Map<string, TestState>;
}

interface BuildState {
  text: string;
  failed: boolean;
}

/**
 * Go < 1.24 (and 1.24 with GODEBUG=gotestjsonbuildtext=1) reports a failed
 * build only as the line `FAIL\tpkg [build failed]` (an output event, or plain
 * text from older toolchains), with no FailedBuild and the compiler's output
 * on stderr.
 */
const PLAIN_BUILD_FAILURE = /^FAIL\s+(\S+) \[(?:build|setup) failed\]$/;
/** The header of a build's output block: `# example.com/app/auth [example.com/app/auth.test]`. */
const BUILD_HEADER = /^# (\S+(?: \[[^\]]+\])?)$/;

/**
 * Reads `go test -json` output into packages, tests and totals. Lines that
 * are not JSON events are collected in `unparsed`; unknown actions are
 * ignored, so newer Go versions' events do no harm. Every run of a test
 * counts: a test that ran again (`-count=N`, or the output of a rerun
 * appended) keeps its failed runs, and one that failed and later passed is
 * `flaky`. Go < 1.24's plain `FAIL pkg [build failed]` lines (with the
 * compiler's `# pkg` blocks, when stderr is appended) become build failures.
 */
export function parseTestEvents(jsonLines: string): GoTestResult {
  const packages = new Map<string, PackageState>();
  const builds = new Map<string, BuildState>();
  const unparsed: string[] = [];

  const packageState = (name: string): PackageState => {
    let state = packages.get(name);
    if (!state) {
      state = { name, text: "", elapsed: 0, tests: new Map() };
      packages.set(name, state);
    }
    return state;
  };
  const buildState = (importPath: string): BuildState => {
    let state = builds.get(importPath);
    if (!state) {
      state = { text: "", failed: false };
      builds.set(importPath, state);
    }
    return state;
  };

  const plain: PlainBuildOutput = { blocks: new Map(), failures: [] };
  for (const raw of jsonLines.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    const event = parseEvent(line);
    if (!event) {
      unparsed.push(line);
      readPlainBuildLine(line, plain);
      continue;
    }
    if (event.Action === "build-output" || event.Action === "build-fail") {
      if (event.ImportPath === undefined) continue;
      const build = buildState(event.ImportPath);
      if (event.Action === "build-fail") build.failed = true;
      else build.text += event.Output ?? "";
      continue;
    }
    if (event.Package === undefined) continue;
    const pkg = packageState(event.Package);
    if (event.Test !== undefined) {
      let test = pkg.tests.get(event.Test);
      if (!test) {
        test = { name: event.Test, text: "", elapsed: 0, earlier: [] };
        pkg.tests.set(event.Test, test);
      }
      if (event.Action === "run" && test.status !== undefined) startNextRun(test);
      applyAction(test, event);
    } else {
      applyAction(pkg, event);
      if (event.Action === "fail" && event.FailedBuild !== undefined) pkg.failedBuild = event.FailedBuild;
      if (event.Action === "output") {
        for (const text of (event.Output ?? "").split("\n")) {
          const failed = PLAIN_BUILD_FAILURE.exec(text.replace(/\r$/, ""));
          if (failed) plain.failures.push({ packageName: failed[1] ?? "", line: undefined });
        }
      }
    }
  }

  for (const { packageName, line } of plain.failures) {
    const pkg = packageState(packageName);
    if (pkg.failedBuild !== undefined) continue; // Go 1.24 said so with FailedBuild
    const importPath =
      [...plain.blocks.keys()].find((header) => displayImportPath(header) === packageName) ?? packageName;
    buildState(importPath).failed = true;
    pkg.status = "fail";
    pkg.failedBuild = importPath;
    if (line !== undefined) pkg.text += `${line}\n`;
  }

  const buildFailures = new Map<string, GoBuildFailure>();
  const buildFailure = (importPath: string): GoBuildFailure => {
    let failure = buildFailures.get(importPath);
    if (!failure) {
      const text = builds.get(importPath)?.text ?? "";
      const output = text === "" ? (plain.blocks.get(importPath) ?? []) : splitOutput(text);
      failure = { importPath, output };
      buildFailures.set(importPath, failure);
    }
    return failure;
  };
  for (const [importPath, build] of builds) if (build.failed) buildFailure(importPath);

  const result = [...packages.values()].map((state) => finishPackage(state, buildFailure));
  return {
    packages: result,
    buildFailures: [...buildFailures.values()],
    totals: sumTotals(result),
    unparsed,
  };
}

/** Go < 1.24's plain-text build output, in whatever order stdout and stderr were joined. */
interface PlainBuildOutput {
  /** By the import path in a `# pkg` header: that header and the lines after it. */
  blocks: Map<string, string[]>;
  /** `FAIL pkg [build failed]` lines; `line` when it was not already an output event of the package. */
  failures: { packageName: string; line: string | undefined }[];
  open?: string[];
}

/**
 * A `# pkg` header opens a block that takes the lines after it, up to the next
 * header or result line; `FAIL pkg [build failed]` records the failure.
 */
function readPlainBuildLine(line: string, plain: PlainBuildOutput): void {
  const failed = PLAIN_BUILD_FAILURE.exec(line);
  if (failed) {
    plain.failures.push({ packageName: failed[1] ?? "", line });
    delete plain.open;
    return;
  }
  const header = BUILD_HEADER.exec(line);
  if (header) {
    const importPath = header[1] ?? "";
    const lines = plain.blocks.get(importPath) ?? [];
    lines.push(line);
    plain.blocks.set(importPath, lines);
    plain.open = lines;
  } else if (plain.open && !/^(?:FAIL|ok|PASS|\?)(?:\s|$)/.test(line)) {
    plain.open.push(line);
  } else {
    delete plain.open;
  }
}

/** `example.com/app/auth [example.com/app/auth.test]` → `example.com/app/auth`. */
export function displayImportPath(importPath: string): string {
  const bracket = importPath.indexOf(" [");
  return bracket === -1 ? importPath : importPath.slice(0, bracket);
}

/** A `run` of a test that already ended: the ended run is kept, and the test starts afresh. */
function startNextRun(test: TestState): void {
  if (test.status === undefined) return;
  test.earlier.push({ text: test.text, status: test.status, elapsed: test.elapsed });
  test.text = "";
  delete test.status;
  test.elapsed = 0;
}

/**
 * What a plain `go test` would print for this `-json` line: the output of a
 * package (not of a single test) or of its build; undefined for anything else.
 */
export function plainTestOutput(line: string): string | undefined {
  const event = parseEvent(line);
  if (!event?.Output) return undefined;
  if (event.Test !== undefined && event.Action !== "build-output") return undefined;
  return event.Output.replace(/\n$/, "");
}

function parseEvent(line: string): GoTestEvent | undefined {
  if (!line.trimStart().startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.Action !== "string") return undefined;
  const event: GoTestEvent = { Action: record.Action };
  for (const key of ["Time", "Package", "Test", "Output", "FailedBuild", "ImportPath"] as const) {
    const field = record[key];
    if (typeof field === "string") event[key] = field;
  }
  if (typeof record.Elapsed === "number") event.Elapsed = record.Elapsed;
  return event;
}

function applyAction(state: TestState | PackageState, event: GoTestEvent): void {
  switch (event.Action) {
    case "output":
      state.text += event.Output ?? "";
      break;
    case "pass":
    case "fail":
    case "skip":
      state.status = event.Action;
      state.elapsed = event.Elapsed ?? 0;
      break;
    case "bench":
      // `--- BENCH:` ends a benchmark that logged; benchmarks do not fail this way.
      state.status = "pass";
      state.elapsed = event.Elapsed ?? state.elapsed;
      break;
    default:
      // start, run, pause, cont and actions newer than Go 1.24 change nothing here.
      break;
  }
}

function finishPackage(
  state: PackageState,
  buildFailure: (importPath: string) => GoBuildFailure,
): GoTestPackage {
  // A package whose run never ended (killed, truncated output) did not pass.
  const ended = state.status ?? "fail";
  const tests = [...state.tests.values()].map((test) => finishTest(test, state.name, ended));
  movePanicsToSubtests(tests);
  const count = (outcome: GoTestOutcome) => tests.filter((test) => test.status === outcome).length;
  // go fails a package whose test failed in any run; when every such test passed later, it passed.
  const onlyFlaky =
    ended === "fail" && state.failedBuild === undefined && count("fail") === 0 && count("flaky") > 0;
  const pkg: GoTestPackage = {
    name: state.name,
    status: onlyFlaky ? "pass" : ended,
    elapsed: state.elapsed,
    passed: count("pass"),
    failed: count("fail"),
    skipped: count("skip"),
    flaky: count("flaky"),
    tests,
    output: splitOutput(state.text),
  };
  if (state.failedBuild !== undefined) pkg.buildFailure = buildFailure(state.failedBuild);
  return pkg;
}

function finishTest(state: TestState, packageName: string, packageStatus: GoTestStatus): GoTest {
  const output = readTestOutput(state.text);
  // A test cut short by a timeout or a crash only fails with its package; a benchmark ends without an event.
  const status = state.status ?? (packageStatus === "fail" ? "fail" : "pass");
  const failedRuns = state.earlier
    .filter((run) => run.status === "fail")
    .map((run): GoTestRun => {
      const runOutput = readTestOutput(run.text);
      const failed: GoTestRun = { elapsed: run.elapsed, output: runOutput };
      const failure = locateTestFailure(runOutput, packageName, state.name);
      if (failure) failed.failure = failure;
      return failed;
    });
  const test: GoTest = {
    name: state.name,
    package: packageName,
    status: status === "pass" && failedRuns.length > 0 ? "flaky" : status,
    elapsed: state.elapsed,
    output,
    ended: state.status !== undefined,
  };
  if (status === "fail") {
    const failure = locateTestFailure(output, packageName, state.name);
    if (failure) test.failure = failure;
  } else if (status === "skip") {
    const reason = parseTestMessages(output).at(-1);
    if (reason) test.skipMessage = reason.message;
  }
  if (failedRuns.length > 0) test.failedRuns = failedRuns;
  return test;
}

function readTestOutput(text: string): string[] {
  return splitOutput(text).filter((line) => !FRAMING.test(line));
}

/**
 * testing prints a subtest's panic after its parent's `--- FAIL` line, so
 * test2json gives the panic to the parent. The subtest that panicked is the
 * first failing leaf below it without a failure of its own; it gets the
 * failure, and the parent fails only because of it.
 */
function movePanicsToSubtests(tests: GoTest[]): void {
  for (const parent of tests) {
    if (parent.failure?.kind !== "panic") continue;
    const failing = tests.filter((test) => test.status === "fail" && test.name.startsWith(`${parent.name}/`));
    const leaf = failing.find(
      (test) => !test.failure && !failing.some((other) => other.name.startsWith(`${test.name}/`)),
    );
    if (!leaf) continue;
    leaf.failure = parent.failure;
    delete parent.failure;
  }
}

/** Output events may split or join lines; the text is split once it is whole. */
function splitOutput(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function sumTotals(packages: readonly GoTestPackage[]): GoTestTotals {
  const totals: GoTestTotals = {
    tests: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
    flaky: 0,
    packages: packages.length,
    failedPackages: 0,
    elapsed: 0,
  };
  for (const pkg of packages) {
    totals.tests += pkg.tests.length;
    totals.passed += pkg.passed;
    totals.failed += pkg.failed;
    totals.skipped += pkg.skipped;
    totals.flaky += pkg.flaky;
    totals.elapsed += pkg.elapsed;
    if (pkg.status === "fail") totals.failedPackages++;
  }
  // Summing floats like 0.004 + 0.017 leaves noise digits; go reports milliseconds.
  totals.elapsed = Math.round(totals.elapsed * 1000) / 1000;
  return totals;
}
