import { describe, expect, it } from "vitest";
import { type GoTestResult, parseTestEvents, plainTestOutput } from "../../../src/rules/go/index.js";
import { goFixture } from "./fixtures.js";

const PKG = "example.com/go-auth/internal/auth";

/** One `go test -json` line. */
function event(fields: Record<string, unknown>): string {
  return JSON.stringify({ Time: "2026-11-26T22:49:37.034Z", Package: PKG, ...fields });
}

function testNamed(result: GoTestResult, name: string) {
  return result.packages.flatMap((pkg) => pkg.tests).find((test) => test.name === name);
}

describe("parseTestEvents on real go test -json output", () => {
  it("a passing run: subtests, t.Log, a skip, a package without test files", () => {
    const result = parseTestEvents(goFixture("go-test-pass.jsonl"));
    expect(result.unparsed).toEqual([]);
    expect(result.buildFailures).toEqual([]);
    expect(result.packages.map((pkg) => [pkg.name, pkg.status, pkg.passed, pkg.failed, pkg.skipped])).toEqual(
      [
        ["example.com/go-auth/internal/store", "pass", 4, 0, 1],
        ["example.com/go-auth/internal/notests", "skip", 0, 0, 0],
      ],
    );
    const store = result.packages[0];
    expect(store?.elapsed).toBe(0.017);
    expect(store?.tests.map((test) => test.name)).toEqual([
      "TestGet",
      "TestTable",
      "TestTable/one",
      "TestTable/two",
      "TestSkipShort",
    ]);
    expect(testNamed(result, "TestTable/one")).toEqual({
      name: "TestTable/one",
      package: "example.com/go-auth/internal/store",
      status: "pass",
      elapsed: 0,
      output: ["    store_test.go:14: checking one"],
      ended: true,
    });
    expect(testNamed(result, "TestSkipShort")).toMatchObject({ status: "skip", skipMessage: "slow" });
    expect(result.packages[1]?.output).toEqual([
      "?   \texample.com/go-auth/internal/notests\t[no test files]",
    ]);
    expect(result.totals).toEqual({
      tests: 5,
      passed: 4,
      failed: 0,
      skipped: 1,
      flaky: 0,
      packages: 2,
      failedPackages: 0,
      elapsed: 0.017,
    });
  });

  it("failing tests: assertion locations, multi-line messages, subtests, skip and Fatal", () => {
    const result = parseTestEvents(goFixture("go-test-fail.jsonl"));
    const [auth] = result.packages;
    expect(auth).toMatchObject({
      name: PKG,
      status: "fail",
      passed: 2,
      failed: 5,
      skipped: 1,
      elapsed: 0.005,
    });
    expect(auth?.output).toEqual(["FAIL", `FAIL\t${PKG}\t0.003s`]);
    expect(
      auth?.tests.map((test) => [
        test.name,
        test.status,
        test.failure ? `${test.failure.file}:${test.failure.line}` : "",
      ]),
    ).toEqual([
      ["TestStatusOK", "pass", ""],
      ["TestRegisterConflict", "fail", "auth_test.go:42"],
      ["TestNormalize", "fail", ""],
      ["TestNormalize/lower", "pass", ""],
      ["TestNormalize/upper", "fail", "auth_test.go:55"],
      ["TestNormalize/mixed|pipe", "fail", "auth_test.go:55"],
      ["TestSkipped", "skip", ""],
      ["TestFatal", "fail", "auth_test.go:66"],
    ]);
    expect(testNamed(result, "TestRegisterConflict")).toEqual({
      name: "TestRegisterConflict",
      package: PKG,
      status: "fail",
      elapsed: 0,
      output: ["    auth_test.go:12: registering user", "    auth_test.go:42: expected 200, got 409"],
      ended: true,
      failure: { kind: "assertion", file: "auth_test.go", line: 42, message: "expected 200, got 409" },
    });
    expect(testNamed(result, "TestNormalize/upper")?.failure?.message).toBe(
      'Normalize("ABC") = "ABC"\nwant "abc"\n<xml & "quotes">',
    );
    expect(testNamed(result, "TestSkipped")?.skipMessage).toBe("needs a database");
    expect(testNamed(result, "TestFatal")?.failure?.message).toBe("token signature invalid: bad");
  });

  it("build failures: build-output/build-fail events, FailedBuild, one failure shared by two packages", () => {
    const result = parseTestEvents(goFixture("go-test-build-fail.jsonl"));
    expect(result.buildFailures).toEqual([
      {
        importPath: "example.com/go-auth/internal/broken",
        output: [
          "# example.com/go-auth/internal/broken",
          "internal/broken/broken.go:4:9: undefined: undefinedThing",
        ],
      },
      {
        importPath: "example.com/go-auth/internal/vetbad [example.com/go-auth/internal/vetbad.test]",
        output: [
          "# example.com/go-auth/internal/vetbad",
          "# [example.com/go-auth/internal/vetbad]",
          'internal/vetbad/vetbad.go:6:9: fmt.Sprintf format %d has arg "str" of wrong type string',
          "internal/vetbad/vetbad.go:10:2: fmt.Printf format %s reads arg #1, but call has 0 args",
        ],
      },
    ]);
    expect(result.packages.map((pkg) => [pkg.name, pkg.status, pkg.buildFailure?.importPath])).toEqual([
      ["example.com/go-auth/internal/broken", "fail", "example.com/go-auth/internal/broken"],
      ["example.com/go-auth/internal/usesbroken", "fail", "example.com/go-auth/internal/broken"],
      [
        "example.com/go-auth/internal/vetbad",
        "fail",
        "example.com/go-auth/internal/vetbad [example.com/go-auth/internal/vetbad.test]",
      ],
    ]);
    expect(result.packages[0]?.buildFailure).toBe(result.packages[1]?.buildFailure);
    expect(result.totals).toMatchObject({ tests: 0, packages: 3, failedPackages: 3 });
  });

  it("panics: the panic site in the package, a subtest's panic moved from its parent, a main package", () => {
    const result = parseTestEvents(goFixture("go-test-panic.jsonl"));
    expect(testNamed(result, "TestLoadNil")?.failure).toEqual({
      kind: "panic",
      file: "crash.go",
      line: 5,
      message: "panic: runtime error: invalid memory address or nil pointer dereference",
    });
    expect(testNamed(result, "TestPanicSub")).toMatchObject({ status: "fail" });
    expect(testNamed(result, "TestPanicSub")?.failure).toBeUndefined();
    expect(testNamed(result, "TestPanicSub")?.output[0]).toBe(
      "panic: assignment to entry in nil map [recovered]",
    );
    expect(testNamed(result, "TestPanicSub/nil_map")?.failure).toEqual({
      kind: "panic",
      file: "ext.go",
      line: 3,
      message: "panic: assignment to entry in nil map",
    });
    expect(testNamed(result, "TestHelper")?.failure).toEqual({
      kind: "assertion",
      file: "ext_test.go",
      line: 14,
      message: "helper failed:\n  line two",
    });
    expect(testNamed(result, "TestParseArgs")?.failure).toEqual({
      kind: "panic",
      file: "main_test.go",
      line: 17,
      message: "panic: runtime error: index out of range [3] with length 0",
    });
    expect(testNamed(result, "TestVersion")?.failure?.message).toBe('version() = "dev", want "1.2.3"');
  });

  it("a timeout: tests that never ended fail with their package", () => {
    const result = parseTestEvents(goFixture("go-test-timeout.jsonl"));
    const [slow] = result.packages;
    expect(slow).toMatchObject({ status: "fail", passed: 1, failed: 2, elapsed: 2.008 });
    expect(slow?.tests.map((test) => [test.name, test.status, test.ended])).toEqual([
      ["TestQuick", "pass", true],
      ["TestHangs", "fail", false],
      ["TestHangs/inner", "fail", false],
    ]);
    expect(testNamed(result, "TestHangs/inner")?.failure).toMatchObject({
      kind: "panic",
      file: "slow_test.go",
      message: "panic: test timed out after 2s",
    });
  });

  it("a benchmark: no terminal event, passes with its package; a split output line is joined", () => {
    const result = parseTestEvents(goFixture("go-test-bench.jsonl"));
    expect(testNamed(result, "BenchmarkGet")).toMatchObject({
      status: "pass",
      ended: false,
      output: ["BenchmarkGet", "BenchmarkGet-2   \t     100\t         9.690 ns/op"],
    });
    expect(result.packages[0]?.output.slice(0, 2)).toEqual(["goos: linux", "goarch: amd64"]);
  });

  it("a whole interleaved run", () => {
    const result = parseTestEvents(goFixture("go-test-all.jsonl"));
    expect(result.unparsed).toEqual([]);
    expect(
      result.packages.map((pkg) => `${pkg.status} ${pkg.name.replace("example.com/go-auth/", "")}`),
    ).toEqual([
      "fail cmd/server",
      "fail internal/auth",
      "fail internal/broken",
      "fail internal/crash",
      "fail internal/extpkg",
      "skip internal/notests",
      "fail internal/slow",
      "pass internal/store",
      "fail internal/usesbroken",
      "fail internal/vetbad",
    ]);
    expect(result.buildFailures.map((failure) => failure.importPath)).toEqual([
      "example.com/go-auth/internal/broken",
      "example.com/go-auth/internal/vetbad [example.com/go-auth/internal/vetbad.test]",
    ]);
    expect(result.totals).toEqual({
      tests: 23,
      passed: 8,
      failed: 13,
      skipped: 2,
      flaky: 0,
      packages: 10,
      failedPackages: 8,
      elapsed: 3.046,
    });
  });
});

describe("parseTestEvents edge cases", () => {
  it.each<[string, string]>([
    ["empty output", ""],
    ["blank lines", "\n  \r\n\n"],
  ])("%s gives an empty result", (_, text) => {
    expect(parseTestEvents(text)).toEqual({
      packages: [],
      buildFailures: [],
      totals: {
        tests: 0,
        passed: 0,
        failed: 0,
        skipped: 0,
        flaky: 0,
        packages: 0,
        failedPackages: 0,
        elapsed: 0,
      },
      unparsed: [],
    });
  });

  it("collects lines that are not events, keeps reading after them", () => {
    const text = [
      "# example.com/go-auth/internal/auth",
      event({ Action: "run", Test: "TestA" }),
      "go: downloading github.com/redis/go-redis/v9 v9.7.0",
      "{not json",
      "[1, 2]",
      '"a string"',
      '{"Package":"x"}',
      '{"Action":42}',
      "null",
      event({ Action: "pass", Test: "TestA", Elapsed: 0.01 }),
      "FAIL",
    ].join("\n");
    const result = parseTestEvents(text);
    expect(result.unparsed).toEqual([
      "# example.com/go-auth/internal/auth",
      "go: downloading github.com/redis/go-redis/v9 v9.7.0",
      "{not json",
      "[1, 2]",
      '"a string"',
      '{"Package":"x"}',
      '{"Action":42}',
      "null",
      "FAIL",
    ]);
    expect(testNamed(result, "TestA")).toMatchObject({ status: "pass", elapsed: 0.01 });
  });

  it("reads CRLF lines and CRLF output", () => {
    const text = `${[
      event({ Action: "start" }),
      event({ Action: "run", Test: "TestA" }),
      event({ Action: "output", Test: "TestA", Output: "    a_test.go:3: boom\r\n" }),
      event({ Action: "fail", Test: "TestA", Elapsed: 0.5 }),
      event({ Action: "fail", Elapsed: 0.6 }),
    ].join("\r\n")}\r\n`;
    const result = parseTestEvents(text);
    expect(result.unparsed).toEqual([]);
    expect(testNamed(result, "TestA")).toMatchObject({
      output: ["    a_test.go:3: boom"],
      failure: { kind: "assertion", file: "a_test.go", line: 3, message: "boom" },
      elapsed: 0.5,
    });
    expect(result.packages[0]?.elapsed).toBe(0.6);
  });

  it("ignores unknown actions and events without a package", () => {
    const text = [
      event({ Action: "run", Test: "TestA" }),
      event({ Action: "attr", Test: "TestA", Key: "k", Value: "v" }),
      event({ Action: "frobnicate", Test: "TestA", Output: "ignored\n" }),
      JSON.stringify({ Action: "output", Output: "no package\n" }),
      JSON.stringify({ Action: "build-output", Output: "no import path\n" }),
      event({ Action: "pass", Test: "TestA" }),
      event({ Action: "pass" }),
    ].join("\n");
    const result = parseTestEvents(text);
    expect(result.unparsed).toEqual([]);
    expect(result.packages).toHaveLength(1);
    expect(testNamed(result, "TestA")).toMatchObject({ status: "pass", output: [], elapsed: 0 });
  });

  it("drops testing's framing lines, including pause/cont/name of parallel tests", () => {
    const text = [
      event({ Action: "run", Test: "TestP" }),
      event({ Action: "output", Test: "TestP", Output: "=== RUN   TestP\n" }),
      event({ Action: "output", Test: "TestP", Output: "=== PAUSE TestP\n" }),
      event({ Action: "pause", Test: "TestP" }),
      event({ Action: "cont", Test: "TestP" }),
      event({ Action: "output", Test: "TestP", Output: "=== CONT  TestP\n" }),
      event({ Action: "output", Test: "TestP", Output: "=== NAME  TestP\n" }),
      event({ Action: "output", Test: "TestP", Output: "    p_test.go:9: kept\n" }),
      event({ Action: "output", Test: "TestP", Output: "--- FAIL: TestP (0.10s)\n" }),
      event({ Action: "fail", Test: "TestP", Elapsed: 0.1 }),
    ].join("\n");
    expect(testNamed(parseTestEvents(text), "TestP")?.output).toEqual(["    p_test.go:9: kept"]);
  });

  it("joins output split across events and keeps a last line without a newline", () => {
    const text = [
      event({ Action: "output", Test: "TestA", Output: "    a_test.go:7: long mes" }),
      event({ Action: "output", Test: "TestA", Output: "sage\n        second line\n" }),
      event({ Action: "output", Test: "TestA", Output: "no newline at the end" }),
      event({ Action: "fail", Test: "TestA" }),
      event({ Action: "fail" }),
    ].join("\n");
    const test = testNamed(parseTestEvents(text), "TestA");
    expect(test?.output).toEqual([
      "    a_test.go:7: long message",
      "        second line",
      "no newline at the end",
    ]);
    expect(test?.failure?.message).toBe("long message\nsecond line");
  });

  it("treats a package whose run never ended as failed, and its running tests too", () => {
    const text = [
      event({ Action: "start" }),
      event({ Action: "run", Test: "TestDone" }),
      event({ Action: "pass", Test: "TestDone" }),
      event({ Action: "run", Test: "TestCut" }),
    ].join("\n");
    const result = parseTestEvents(text);
    expect(result.packages[0]).toMatchObject({ status: "fail", passed: 1, failed: 1 });
    expect(testNamed(result, "TestCut")).toMatchObject({ status: "fail", ended: false });
  });

  it("a bench event ends a benchmark as passed", () => {
    const text = [
      event({ Action: "run", Test: "BenchmarkX" }),
      event({ Action: "output", Test: "BenchmarkX", Output: "    x_test.go:5: b.Log output\n" }),
      event({ Action: "bench", Test: "BenchmarkX", Output: "--- BENCH: BenchmarkX\n" }),
      event({ Action: "pass" }),
    ].join("\n");
    expect(testNamed(parseTestEvents(text), "BenchmarkX")).toMatchObject({ status: "pass", ended: true });
  });

  it("a FailedBuild naming a build without output still reports the build failure", () => {
    const text = event({ Action: "fail", FailedBuild: "example.com/gone" });
    const result = parseTestEvents(text);
    expect(result.packages[0]?.buildFailure).toEqual({ importPath: "example.com/gone", output: [] });
    expect(result.buildFailures).toEqual([{ importPath: "example.com/gone", output: [] }]);
  });

  it("build output without build-fail is not a failure", () => {
    const text = JSON.stringify({ ImportPath: "example.com/x", Action: "build-output", Output: "# note\n" });
    expect(parseTestEvents(text).buildFailures).toEqual([]);
  });

  it("ignores fields of the wrong type", () => {
    const text = [
      event({ Action: "run", Test: "TestA" }),
      event({ Action: "output", Test: "TestA", Output: 42 }),
      event({ Action: "pass", Test: "TestA", Elapsed: "1.5" }),
    ].join("\n");
    expect(testNamed(parseTestEvents(text), "TestA")).toMatchObject({
      status: "pass",
      elapsed: 0,
      output: [],
    });
  });
});

describe("parseTestEvents: every run counts", () => {
  it("a test that failed twice and passed on its third -count run is flaky, with both failed runs", () => {
    const result = parseTestEvents(goFixture("go-test-count.jsonl"));
    const test = testNamed(result, "TestSometimes");
    expect(test?.status).toBe("flaky");
    expect(test?.failedRuns?.map((run) => run.failure)).toEqual([
      { kind: "assertion", file: "flaky_test.go", line: 14, message: "attempt 1: connection refused" },
      { kind: "assertion", file: "flaky_test.go", line: 14, message: "attempt 2: connection refused" },
    ]);
    // go fails the package; only the flaky test did, so it counts as passed.
    expect(result.packages[0]).toMatchObject({ status: "pass", passed: 0, failed: 0, flaky: 1 });
    expect(result.totals).toMatchObject({ tests: 1, passed: 0, failed: 0, flaky: 1, failedPackages: 0 });
  });

  it("a rerun's stream appended to the first: fixed tests are flaky, the rest still fail", () => {
    const result = parseTestEvents(
      `${goFixture("go-test-rerun-1.jsonl")}${goFixture("go-test-rerun-2.jsonl")}`,
    );
    const outcome = (name: string) => [
      testNamed(result, name)?.status,
      testNamed(result, name)?.failedRuns?.length,
    ];
    expect(outcome("TestTable/needs_(marker)")).toEqual(["flaky", 1]);
    expect(outcome("TestTable")).toEqual(["flaky", 1]);
    expect(outcome("TestTable/first_case")).toEqual(["pass", undefined]);
    expect(outcome("TestAlwaysFails")).toEqual(["fail", 1]);
    expect(outcome("TestSometimes")).toEqual(["fail", undefined]);
    expect(result.packages[0]).toMatchObject({ status: "fail", passed: 1, failed: 2, flaky: 2 });
  });

  it("a test that passed and then failed is failed", () => {
    const lines = [
      event({ Action: "run", Test: "TestX" }),
      event({ Action: "pass", Test: "TestX", Elapsed: 0 }),
      event({ Action: "run", Test: "TestX" }),
      event({ Action: "output", Test: "TestX", Output: "    x_test.go:3: boom\n" }),
      event({ Action: "fail", Test: "TestX", Elapsed: 0 }),
      event({ Action: "fail", Elapsed: 0.1 }),
    ].join("\n");
    const test = testNamed(parseTestEvents(lines), "TestX");
    expect(test?.status).toBe("fail");
    expect(test?.failure).toMatchObject({ line: 3, message: "boom" });
    expect(test?.failedRuns).toBeUndefined();
  });
});

describe("parseTestEvents: Go < 1.24 build failures", () => {
  it("a `FAIL pkg [build failed]` output line with the compiler's output on stderr", () => {
    const result = parseTestEvents(
      `${goFixture("go-test-build-text.jsonl")}\n${goFixture("go-test-build-text.stderr.txt")}`,
    );
    expect(result.packages.map((pkg) => [pkg.name, pkg.status, pkg.buildFailure?.importPath])).toEqual([
      ["example.com/go-auth/broken", "fail", "example.com/go-auth/broken"],
      ["example.com/go-auth/usesbroken", "fail", "example.com/go-auth/usesbroken"],
    ]);
    expect(result.buildFailures).toEqual([
      {
        importPath: "example.com/go-auth/broken",
        output: ["# example.com/go-auth/broken", "broken/broken.go:3:28: undefined: undefinedThing"],
      },
      { importPath: "example.com/go-auth/usesbroken", output: [] },
    ]);
  });

  it("plain-text FAIL lines of older toolchains, in either order with the # block", () => {
    const text = [
      "FAIL\texample.com/app/auth [build failed]",
      "# example.com/app/auth [example.com/app/auth.test]",
      "auth/auth.go:4:2: undefined: x",
      "FAIL\texample.com/app/setup [setup failed]",
    ].join("\n");
    const result = parseTestEvents(text);
    expect(result.buildFailures).toEqual([
      {
        importPath: "example.com/app/auth [example.com/app/auth.test]",
        output: ["# example.com/app/auth [example.com/app/auth.test]", "auth/auth.go:4:2: undefined: x"],
      },
      { importPath: "example.com/app/setup", output: [] },
    ]);
    expect(result.totals).toMatchObject({ packages: 2, failedPackages: 2 });
  });
});

describe("parseTestEvents: -race", () => {
  it("locates a data race at the test's own frame, not at testing.go", () => {
    const test = testNamed(parseTestEvents(goFixture("go-test-race.jsonl")), "TestCounter");
    expect(test?.failure).toEqual({
      kind: "race",
      file: "counter_test.go",
      line: 14,
      message: "data race: Read at 0x00c000014128 by goroutine 8",
    });
  });
});

describe("plainTestOutput", () => {
  const event = (fields: Record<string, unknown>) => JSON.stringify({ Action: "output", ...fields });
  it.each([
    ["a package's line", event({ Package: "x", Output: "ok  \tx\t0.01s\n" }), "ok  \tx\t0.01s"],
    [
      "a test's line (shown only when it fails)",
      event({ Package: "x", Test: "TestA", Output: "=== RUN\n" }),
      undefined,
    ],
    [
      "a build's output, even with a test name",
      event({ Action: "build-output", ImportPath: "x", Test: "TestA", Output: "x.go:1: err\n" }),
      "x.go:1: err",
    ],
    ["an event without output", JSON.stringify({ Action: "pass", Package: "x" }), undefined],
    ["not JSON", "FAIL x [build failed]", undefined],
    ["JSON without an Action", JSON.stringify({ Output: "hi\n" }), undefined],
    ["broken JSON", '{"Action":"output"', undefined],
  ])("%s", (_, line, expected) => expect(plainTestOutput(line)).toBe(expected));
});
