import { describe, expect, it } from "vitest";
import {
  displayImportPath,
  flakyTestFindings,
  type GoTestResult,
  packageDirResolver,
  parseTestEvents,
  testFailureFindings,
} from "../../../src/rules/go/index.js";
import type { Finding } from "../../../src/rules/report/index.js";
import { goFixture } from "./fixtures.js";

const MODULE = "example.com/go-auth";
const packageDir = packageDirResolver(MODULE, "services/go-auth");

function locations(findings: readonly Finding[]): string[] {
  return findings.map((finding) =>
    finding.location ? `${finding.location.file}:${finding.location.line ?? ""}` : `(${finding.severity})`,
  );
}

function run(lines: Record<string, unknown>[]): GoTestResult {
  return parseTestEvents(
    lines.map((line) => JSON.stringify({ Package: "example.com/go-auth/x", ...line })).join("\n"),
  );
}

describe("packageDirResolver", () => {
  it.each<[string, string, string, string | undefined]>([
    [MODULE, ".", MODULE, "."],
    [MODULE, ".", `${MODULE}/internal/auth`, "internal/auth"],
    [MODULE, "services/go-auth", MODULE, "services/go-auth"],
    [MODULE, "services/go-auth/", `${MODULE}/cmd/server`, "services/go-auth/cmd/server"],
    [MODULE, "./svc", `${MODULE}/a`, "svc/a"],
    [MODULE, ".", `${MODULE}/a [${MODULE}/a.test]`, "a"],
    [MODULE, ".", "example.com/go-authz", undefined],
    [MODULE, ".", "github.com/other/pkg", undefined],
  ])("module %s in %s: %s → %s", (modulePath, moduleDir, importPath, expected) => {
    expect(packageDirResolver(modulePath, moduleDir)(importPath)).toBe(expected);
  });
});

describe("displayImportPath", () => {
  it.each([
    ["example.com/a [example.com/a.test]", "example.com/a"],
    ["example.com/a", "example.com/a"],
  ])("%s → %s", (importPath, expected) => {
    expect(displayImportPath(importPath)).toBe(expected);
  });
});

describe("testFailureFindings", () => {
  it("annotates each failing test at its failing line, not parents failing through subtests", () => {
    const findings = testFailureFindings(parseTestEvents(goFixture("go-test-fail.jsonl")), { packageDir });
    expect(findings).toEqual([
      {
        severity: "error",
        title: "go test: TestRegisterConflict",
        message: "expected 200, got 409",
        location: { file: "services/go-auth/internal/auth/auth_test.go", line: 42 },
      },
      {
        severity: "error",
        title: "go test: TestNormalize/upper",
        message: 'Normalize("ABC") = "ABC"\nwant "abc"\n<xml & "quotes">',
        location: { file: "services/go-auth/internal/auth/auth_test.go", line: 55 },
      },
      {
        severity: "error",
        title: "go test: TestNormalize/mixed|pipe",
        message: 'Normalize("AbC") = "AbC"\nwant "abc"\n<xml & "quotes">',
        location: { file: "services/go-auth/internal/auth/auth_test.go", line: 55 },
      },
      {
        severity: "error",
        title: "go test: TestFatal",
        message: "token signature invalid: bad",
        location: { file: "services/go-auth/internal/auth/auth_test.go", line: 66 },
      },
    ]);
  });

  it("annotates panics at their site, the panicking subtest rather than its parent", () => {
    const findings = testFailureFindings(parseTestEvents(goFixture("go-test-panic.jsonl")), { packageDir });
    expect(findings.map((finding) => [finding.title, finding.message, locations([finding])[0]])).toEqual([
      [
        "go test: TestLoadNil",
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "services/go-auth/internal/crash/crash.go:5",
      ],
      [
        "go test: TestHelper",
        "helper failed:\n  line two",
        "services/go-auth/internal/extpkg/ext_test.go:14",
      ],
      [
        "go test: TestPanicSub/nil_map",
        "panic: assignment to entry in nil map",
        "services/go-auth/internal/extpkg/ext.go:3",
      ],
      [
        "go test: TestVersion",
        'version() = "dev", want "1.2.3"',
        "services/go-auth/cmd/server/main_test.go:10",
      ],
      [
        "go test: TestParseArgs",
        "panic: runtime error: index out of range [3] with length 0",
        "services/go-auth/cmd/server/main_test.go:17",
      ],
    ]);
  });

  it("annotates compiler and vet errors of failed builds once, relative to baseDir", () => {
    const findings = testFailureFindings(parseTestEvents(goFixture("go-test-build-fail.jsonl")), {
      packageDir,
      baseDir: "services/go-auth",
    });
    expect(findings).toEqual([
      {
        severity: "error",
        title: "build failed: example.com/go-auth/internal/broken",
        message: "undefined: undefinedThing",
        location: { file: "services/go-auth/internal/broken/broken.go", line: 4, column: 9 },
      },
      {
        severity: "error",
        title: "build failed: example.com/go-auth/internal/vetbad",
        message: 'fmt.Sprintf format %d has arg "str" of wrong type string',
        location: { file: "services/go-auth/internal/vetbad/vetbad.go", line: 6, column: 9 },
      },
      {
        severity: "error",
        title: "build failed: example.com/go-auth/internal/vetbad",
        message: "fmt.Printf format %s reads arg #1, but call has 0 args",
        location: { file: "services/go-auth/internal/vetbad/vetbad.go", line: 10, column: 2 },
      },
    ]);
  });

  it("annotates a timed-out subtest, not its parent", () => {
    const findings = testFailureFindings(parseTestEvents(goFixture("go-test-timeout.jsonl")), { packageDir });
    expect(findings.map((finding) => [finding.title, finding.message])).toEqual([
      ["go test: TestHangs/inner", "panic: test timed out after 2s"],
    ]);
  });

  it("caps at limit with a notice for the rest", () => {
    const result = parseTestEvents(goFixture("go-test-all.jsonl"));
    expect(locations(testFailureFindings(result, { packageDir, baseDir: "services/go-auth" }))).toEqual([
      "services/go-auth/internal/broken/broken.go:4",
      "services/go-auth/internal/vetbad/vetbad.go:6",
      "services/go-auth/internal/vetbad/vetbad.go:10",
      "services/go-auth/cmd/server/main_test.go:10",
      "services/go-auth/cmd/server/main_test.go:17",
      "services/go-auth/internal/auth/auth_test.go:42",
      "services/go-auth/internal/auth/auth_test.go:55",
      "services/go-auth/internal/auth/auth_test.go:55",
      "services/go-auth/internal/auth/auth_test.go:66",
      "services/go-auth/internal/crash/crash.go:5",
      "(notice)",
    ]);
    const capped = testFailureFindings(result, { packageDir, limit: 2 });
    expect(capped).toHaveLength(3);
    expect(capped[2]).toEqual({
      severity: "notice",
      message: "11 more failures not annotated; the job summary lists every failing test",
    });
    expect(testFailureFindings(result, { packageDir, limit: 12 }).at(-1)?.message).toMatch(
      /^1 more failure not/,
    );
    expect(testFailureFindings(result, { packageDir, limit: 100 })).toHaveLength(13);
  });

  it("gives nothing for a passing run", () => {
    expect(testFailureFindings(parseTestEvents(goFixture("go-test-pass.jsonl")), { packageDir })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>[], Finding[]]>([
    [
      "a package outside the module: the location goes into the message",
      [
        { Package: "github.com/other/x", Action: "output", Test: "TestA", Output: "    x_test.go:3: nope\n" },
        { Package: "github.com/other/x", Action: "fail", Test: "TestA" },
        { Package: "github.com/other/x", Action: "fail" },
      ],
      [{ severity: "error", title: "go test: TestA", message: "x_test.go:3: nope" }],
    ],
    [
      "a failing test without a location",
      [
        { Action: "output", Test: "TestA", Output: "plain output\n" },
        { Action: "fail", Test: "TestA" },
        { Action: "fail" },
      ],
      [{ severity: "error", title: "go test: TestA", message: "example.com/go-auth/x: plain output" }],
    ],
    [
      "a failing test without any output",
      [{ Action: "fail", Test: "TestA" }, { Action: "fail" }],
      [{ severity: "error", title: "go test: TestA", message: "example.com/go-auth/x: failed" }],
    ],
    [
      "a parent with its own failure and a failing subtest: both",
      [
        { Action: "output", Test: "TestP/sub", Output: "    p_test.go:5: sub\n" },
        { Action: "fail", Test: "TestP/sub" },
        { Action: "output", Test: "TestP", Output: "    p_test.go:9: after subtests\n" },
        { Action: "fail", Test: "TestP" },
        { Action: "fail" },
      ],
      [
        {
          severity: "error",
          title: "go test: TestP/sub",
          message: "sub",
          location: { file: "services/go-auth/x/p_test.go", line: 5 },
        },
        {
          severity: "error",
          title: "go test: TestP",
          message: "after subtests",
          location: { file: "services/go-auth/x/p_test.go", line: 9 },
        },
      ],
    ],
    [
      "a package failing outside any test (TestMain)",
      [
        { Action: "output", Output: "setup: db unreachable\n" },
        { Action: "output", Output: "FAIL\texample.com/go-auth/x\t0.01s\n" },
        { Action: "fail", Elapsed: 0.01 },
      ],
      [{ severity: "error", title: "go test: example.com/go-auth/x", message: "setup: db unreachable" }],
    ],
    [
      "a package panicking outside any test, located in the package",
      [
        { Action: "output", Output: "panic: init failed\n\ngoroutine 1 [running]:\n" },
        { Action: "output", Output: "example.com/go-auth/x.init.0()\n\t/src/x/x.go:12 +0x25\n" },
        { Action: "fail" },
      ],
      [
        {
          severity: "error",
          title: "go test: example.com/go-auth/x",
          message: "panic: init failed",
          location: { file: "services/go-auth/x/x.go", line: 12 },
        },
      ],
    ],
    [
      "a setup failure without a file",
      [
        { ImportPath: "./nonexistent", Action: "build-output", Output: "# ./nonexistent\n" },
        {
          ImportPath: "./nonexistent",
          Action: "build-output",
          Output: "stat /src/nonexistent: directory not found\n",
        },
        { ImportPath: "./nonexistent", Action: "build-fail" },
        { Package: "./nonexistent", Action: "fail", FailedBuild: "./nonexistent" },
      ],
      [
        {
          severity: "error",
          title: "build failed: ./nonexistent",
          message: "stat /src/nonexistent: directory not found",
        },
      ],
    ],
  ])("%s", (_, lines, expected) => {
    expect(testFailureFindings(run(lines), { packageDir })).toEqual(expected);
  });
});

describe("flakyTestFindings", () => {
  it("warns once per flaky test at its last failed run's line, not at parents flaky through a subtest", () => {
    const result = parseTestEvents(
      `${goFixture("go-test-rerun-1.jsonl")}${goFixture("go-test-rerun-2.jsonl")}`,
    );
    expect(flakyTestFindings(result, { packageDir: packageDirResolver("example.com/go-auth") })).toEqual([
      {
        severity: "warning",
        title: "go test: flaky TestTable/needs_(marker)",
        message: "failed 1 of 2 runs, then passed: marker missing",
        location: { file: "flaky/flaky_test.go", line: 24 },
      },
    ]);
  });

  it("counts the runs of -count=N", () => {
    const [finding] = flakyTestFindings(parseTestEvents(goFixture("go-test-count.jsonl")), {
      packageDir: () => undefined,
    });
    expect(finding).toEqual({
      severity: "warning",
      title: "go test: flaky TestSometimes",
      message: "failed 2 of 3 runs, then passed: attempt 2: connection refused",
    });
  });
});
