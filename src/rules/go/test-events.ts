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

export interface GoTest {
  /** `TestX`, or `TestX/sub` for a subtest. */
  name: string;
  package: string;
  status: GoTestStatus;
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
 * Reads `go test -json` output into packages, tests and totals. Lines that
 * are not JSON events are collected in `unparsed`; unknown actions are
 * ignored, so newer Go versions' events do no harm.
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

  for (const raw of jsonLines.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    const event = parseEvent(line);
    if (!event) {
      unparsed.push(line);
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
        test = { name: event.Test, text: "", elapsed: 0 };
        pkg.tests.set(event.Test, test);
      }
      applyAction(test, event);
    } else {
      applyAction(pkg, event);
      if (event.Action === "fail" && event.FailedBuild !== undefined) pkg.failedBuild = event.FailedBuild;
    }
  }

  const buildFailures = new Map<string, GoBuildFailure>();
  const buildFailure = (importPath: string): GoBuildFailure => {
    let failure = buildFailures.get(importPath);
    if (!failure) {
      failure = { importPath, output: splitOutput(builds.get(importPath)?.text ?? "") };
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
  const status = state.status ?? "fail";
  const tests = [...state.tests.values()].map((test) => finishTest(test, state.name, status));
  movePanicsToSubtests(tests);
  const pkg: GoTestPackage = {
    name: state.name,
    status,
    elapsed: state.elapsed,
    passed: tests.filter((test) => test.status === "pass").length,
    failed: tests.filter((test) => test.status === "fail").length,
    skipped: tests.filter((test) => test.status === "skip").length,
    tests,
    output: splitOutput(state.text),
  };
  if (state.failedBuild !== undefined) pkg.buildFailure = buildFailure(state.failedBuild);
  return pkg;
}

function finishTest(state: TestState, packageName: string, packageStatus: GoTestStatus): GoTest {
  const output = splitOutput(state.text).filter((line) => !FRAMING.test(line));
  // A test cut short by a timeout or a crash only fails with its package; a benchmark ends without an event.
  const status = state.status ?? (packageStatus === "fail" ? "fail" : "pass");
  const test: GoTest = {
    name: state.name,
    package: packageName,
    status,
    elapsed: state.elapsed,
    output,
    ended: state.status !== undefined,
  };
  if (status === "fail") {
    const failure = locateTestFailure(output, packageName);
    if (failure) test.failure = failure;
  } else if (status === "skip") {
    const reason = parseTestMessages(output).at(-1);
    if (reason) test.skipMessage = reason.message;
  }
  return test;
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
    packages: packages.length,
    failedPackages: 0,
    elapsed: 0,
  };
  for (const pkg of packages) {
    totals.tests += pkg.tests.length;
    totals.passed += pkg.passed;
    totals.failed += pkg.failed;
    totals.skipped += pkg.skipped;
    totals.elapsed += pkg.elapsed;
    if (pkg.status === "fail") totals.failedPackages++;
  }
  // Summing floats like 0.004 + 0.017 leaves noise digits; go reports milliseconds.
  totals.elapsed = Math.round(totals.elapsed * 1000) / 1000;
  return totals;
}
