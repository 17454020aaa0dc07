import { describe, expect, it } from "vitest";
import type { AssertionFailure } from "../../../src/rules/assert/failure.js";
import { renderSummaryTable, toTestSuites } from "../../../src/stages/compose-test/report.js";
import {
  bodyExcerpt,
  countResults,
  fileFindings,
  fileHasFailures,
  formatCounts,
  formatFileReport,
  formatTestResult,
  runSucceeded,
  type SpecFileResult,
  type SpecTestResult,
} from "../../../src/stages/compose-test/results.js";

const FILE = "tests/users.yml";
const statusFailure: AssertionFailure = {
  matcher: "status",
  expected: "201",
  actual: '409 (body: "user already exists")',
  location: { file: FILE, line: 17, column: 15 },
};

function testResult(change: Partial<SpecTestResult> = {}): SpecTestResult {
  return {
    name: "Register",
    outcome: "passed",
    allowedToFail: false,
    durationMs: 12,
    attempts: 1,
    failures: [],
    error: undefined,
    requestLine: "PUT http://127.0.0.1:49153/user",
    bodyStart: undefined,
    skipReason: undefined,
    location: { file: FILE, line: 11, column: 5 },
    ...change,
  };
}

function fileResult(tests: SpecTestResult[], change: Partial<SpecFileResult> = {}): SpecFileResult {
  return {
    file: FILE,
    project: "go-auth-1-1-test-users-abc123",
    tests,
    problem: undefined,
    warnings: [],
    durationMs: 3200,
    readyMs: 2000,
    logsFile: undefined,
    kept: false,
    ...change,
  };
}

const passed = testResult();
const failed = testResult({
  name: "Register twice",
  outcome: "failed",
  failures: [statusFailure],
  bodyStart: '"user already exists\\n"',
});
const allowed = testResult({
  name: "Flaky",
  outcome: "failed",
  allowedToFail: true,
  error: "no response: refused",
});
const skipped = testResult({ name: "Later", outcome: "skipped", durationMs: 0, skipReason: "not yet" });
const notReady = {
  phase: "ready" as const,
  message: "the environment was not ready within 3s",
  location: { file: FILE, line: 3, column: 3 },
};

describe("formatTestResult", () => {
  it.each<[SpecTestResult, string[]]>([
    [passed, ["Pass: Register (12 ms)"]],
    [testResult({ attempts: 3 }), ["Pass: Register (12 ms, attempt 3)"]],
    [skipped, ["Skip: Later (not yet)"]],
    [
      failed,
      [
        "Fail: Register twice (12 ms)",
        '  status: expected 201, got 409 (body: "user already exists") (tests/users.yml:17:15)',
        "  request: PUT http://127.0.0.1:49153/user",
        '  body: "user already exists\\n"',
      ],
    ],
    [
      allowed,
      [
        "Fail: Flaky (12 ms) [continue-on-error]",
        "  no response: refused",
        "  request: PUT http://127.0.0.1:49153/user",
      ],
    ],
  ])("%#", (test, lines) => {
    expect(formatTestResult(test)).toEqual(lines);
  });
});

describe("counting and the run's verdict", () => {
  it.each<[string, SpecFileResult[], ReturnType<typeof countResults>, boolean, boolean[]]>([
    [
      "all passed",
      [fileResult([passed, passed])],
      { passed: 2, failed: 0, skipped: 0, total: 2 },
      true,
      [false],
    ],
    [
      "a failure",
      [fileResult([passed]), fileResult([failed])],
      { passed: 1, failed: 1, skipped: 0, total: 2 },
      false,
      [false, true],
    ],
    [
      "an allowed failure",
      [fileResult([passed, allowed])],
      { passed: 1, failed: 1, skipped: 0, total: 2 },
      true,
      [true],
    ],
    ["skipped only", [fileResult([skipped])], { passed: 0, failed: 0, skipped: 1, total: 1 }, true, [false]],
    [
      "an environment problem",
      [fileResult([], { problem: notReady })],
      { passed: 0, failed: 0, skipped: 0, total: 0 },
      false,
      [true],
    ],
  ])("%s", (_, files, counts, succeeded, hasFailures) => {
    expect(countResults(files)).toEqual(counts);
    expect(runSucceeded(files)).toBe(succeeded);
    expect(files.map(fileHasFailures)).toEqual(hasFailures);
  });

  it.each<[ReturnType<typeof countResults>, string]>([
    [{ passed: 3, failed: 1, skipped: 0, total: 4 }, "3 passed, 1 failed"],
    [{ passed: 3, failed: 0, skipped: 2, total: 5 }, "3 passed, 0 failed, 2 skipped"],
  ])("formatCounts(%j)", (counts, text) => {
    expect(formatCounts(counts)).toBe(text);
  });
});

describe("fileFindings", () => {
  it("annotates each failed matcher at its line, allowed failures as warnings", () => {
    expect(fileFindings(fileResult([passed, failed, allowed]))).toEqual([
      {
        severity: "error",
        title: "compose-test: Register twice",
        message: 'status: expected 201, got 409 (body: "user already exists")',
        location: { file: FILE, line: 17, column: 15 },
      },
      {
        severity: "warning",
        title: "compose-test: Flaky",
        message: "no response: refused",
        location: { file: FILE, line: 11, column: 5 },
      },
    ]);
  });

  it("annotates an environment problem once, not every test it stopped", () => {
    const notRun = testResult({ outcome: "failed", error: "not run: not ready" });
    expect(fileFindings(fileResult([notRun, notRun], { problem: notReady }))).toEqual([
      {
        severity: "error",
        title: `compose-test: ${FILE}`,
        message: notReady.message,
        location: notReady.location,
      },
    ]);
  });

  it("says nothing about a cancelled file", () => {
    const problem = { ...notReady, phase: "cancelled" as const };
    expect(fileFindings(fileResult([skipped], { problem }))).toEqual([]);
  });
});

describe("formatFileReport", () => {
  it("heads the file's lines with its counts", () => {
    expect(
      formatFileReport(fileResult([passed, failed], { logsFile: "/tmp/logs/x.log" })).split("\n"),
    ).toEqual([
      "tests/users.yml: 1 passed, 1 failed in 3.2 s",
      "  Pass: Register (12 ms)",
      "  Fail: Register twice (12 ms)",
      '    status: expected 201, got 409 (body: "user already exists") (tests/users.yml:17:15)',
      "    request: PUT http://127.0.0.1:49153/user",
      '    body: "user already exists\\n"',
      "  compose logs: /tmp/logs/x.log",
    ]);
  });
});

describe("bodyExcerpt", () => {
  it.each<[string, number, string]>([
    ["ok\n", 200, '"ok\\n"'],
    ["abcdef", 3, '"abc…"'],
    ["", 10, '""'],
  ])("%j (%i)", (body, length, expected) => {
    expect(bodyExcerpt(body, length)).toBe(expected);
  });
});

describe("reports", () => {
  it("turns files into JUnit suites and cases", () => {
    expect(toTestSuites([fileResult([passed, failed, skipped])])).toEqual([
      {
        name: FILE,
        durationMs: 3200,
        cases: [
          { suite: FILE, name: "Register", status: "passed", durationMs: 12, location: passed.location },
          {
            suite: FILE,
            name: "Register twice",
            status: "failed",
            durationMs: 12,
            location: statusFailure.location,
            message: 'status: expected 201, got 409 (body: "user already exists")',
            details: [
              'status: expected 201, got 409 (body: "user already exists") (tests/users.yml:17:15)',
              "request: PUT http://127.0.0.1:49153/user",
              'body: "user already exists\\n"',
            ].join("\n"),
          },
          {
            suite: FILE,
            name: "Later",
            status: "skipped",
            durationMs: 0,
            location: skipped.location,
            message: "not yet",
          },
        ],
      },
    ]);
  });

  it("renders one summary row per test, escaping pipes", () => {
    const piped = testResult({ name: "a | b" });
    const files = [fileResult([piped, failed])];
    const table = renderSummaryTable(files, countResults(files)).split("\n");
    expect(table.slice(0, 6)).toEqual([
      "### compose-test: 1 passed, 1 failed",
      "",
      "| File | Test | Result | Duration |",
      "| --- | --- | --- | --- |",
      "| tests/users.yml | a \\| b | ✅ passed | 12 ms |",
      '| tests/users.yml | Register twice | ❌ failed: status: expected 201, got 409 (body: "user already exists") (tests/users.yml:17:15) | 12 ms |',
    ]);
  });
});
