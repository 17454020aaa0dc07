import { describe, expect, it } from "vitest";
import {
  escapeMarkdown,
  renderTestSummary,
  type TestCaseResult,
  type TestSuiteResult,
  tableCell,
} from "../../../src/rules/report/index.js";

function testCase(
  suite: string,
  name: string,
  status: TestCaseResult["status"],
  extra: Partial<TestCaseResult> = {},
) {
  return { suite, name, status, durationMs: 10, ...extra };
}

const AUTH = "example.com/go-auth/internal/auth";
const goSuites: TestSuiteResult[] = [
  {
    name: AUTH,
    durationMs: 1500,
    cases: [
      testCase(AUTH, "TestOK", "passed"),
      testCase(AUTH, "TestRegisterConflict", "failed", {
        message: "expected 200, got 409",
        location: { file: "internal/auth/auth_test.go", line: 42 },
      }),
      testCase(AUTH, "TestNormalize", "failed"),
      testCase(AUTH, "TestNormalize/upper", "failed", { message: 'got "ABC"\nwant "abc"' }),
      testCase(AUTH, "TestSkipped", "skipped", { message: "needs a database" }),
    ],
  },
  {
    name: "example.com/go-auth/internal/store",
    durationMs: 20,
    cases: [testCase("store", "TestGet", "passed")],
  },
  { name: "example.com/go-auth/internal/notests", durationMs: 0, cases: [] },
  {
    name: "example.com/go-auth/internal/broken",
    durationMs: 0,
    cases: [],
    errors: ["build failed\ninternal/broken/broken.go:4:9: undefined: undefinedThing"],
  },
];

describe("renderTestSummary", () => {
  it("go layout: a row per package, a total row, failing tests, errors", () => {
    expect(renderTestSummary(goSuites, { title: "Go tests", layout: "suites" })).toBe(
      [
        "## Go tests",
        "",
        "❌ **3 failed**, 2 passed, 1 skipped, **1 error** in 1.5 s",
        "",
        "| | Package | Passed | Failed | Flaky | Skipped | Time |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        "| ❌ | example.com/go-auth/internal/auth | 1 | 3 | 0 | 1 | 1.5 s |",
        "| ✅ | example.com/go-auth/internal/store | 1 | 0 | 0 | 0 | 20 ms |",
        "| ⏭️ | example.com/go-auth/internal/notests | 0 | 0 | 0 | 0 | 0 ms |",
        "| ❌ | example.com/go-auth/internal/broken | 0 | 0 | 0 | 0 | 0 ms |",
        "| | **Total** | **2** | **3** | **0** | **1** | **1.5 s** |",
        "",
        "### Failing tests",
        "",
        "❌ **TestRegisterConflict** in example.com/go-auth/internal/auth at internal/auth/auth\\_test.go:42",
        "",
        "```text",
        "expected 200, got 409",
        "```",
        "",
        "❌ **TestNormalize/upper** in example.com/go-auth/internal/auth",
        "",
        "```text",
        'got "ABC"',
        'want "abc"',
        "```",
        "",
        "### Errors",
        "",
        "❌ **example.com/go-auth/internal/broken**",
        "",
        "```text",
        "build failed",
        "internal/broken/broken.go:4:9: undefined: undefinedThing",
        "```",
        "",
      ].join("\n"),
    );
  });

  it("compose layout: file | test | result | duration", () => {
    const suites: TestSuiteResult[] = [
      {
        name: "specs/auth.yml",
        durationMs: 300,
        cases: [
          testCase("specs/auth.yml", "register", "passed", { durationMs: 120 }),
          testCase("specs/auth.yml", "register again", "failed", {
            durationMs: 80,
            message: "status: expected 409, got 500",
            location: { file: "specs/auth.yml", line: 14, column: 9 },
          }),
          testCase("specs/auth.yml", "admin only", "skipped", { durationMs: 0 }),
        ],
      },
    ];
    expect(renderTestSummary(suites, { title: "Integration tests", layout: "cases" })).toBe(
      [
        "## Integration tests",
        "",
        "❌ **1 failed**, 1 passed, 1 skipped in 300 ms",
        "",
        "| File | Test | Result | Duration |",
        "| --- | --- | --- | ---: |",
        "| specs/auth.yml | register | ✅ passed | 120 ms |",
        "| specs/auth.yml | register again | ❌ failed | 80 ms |",
        "| specs/auth.yml | admin only | ⏭️ skipped | 0 ms |",
        "",
        "### Failing tests",
        "",
        "❌ **register again** in specs/auth.yml at specs/auth.yml:14:9",
        "",
        "```text",
        "status: expected 409, got 500",
        "```",
        "",
      ].join("\n"),
    );
  });

  it("all passed, custom suite label, suite errors as rows in the case layout", () => {
    const passed = renderTestSummary(
      [{ name: "s", durationMs: 61_000, cases: [testCase("s", "t", "passed")] }],
      {
        title: "T",
        layout: "suites",
        suiteLabel: "Spec",
      },
    );
    expect(passed).toContain("✅ **all passed**, 1 passed, 0 skipped in 1 min 1 s");
    expect(passed).toContain("| | Spec | Passed |");
    expect(passed).not.toContain("### Failing tests");
    const errored = renderTestSummary([{ name: "s.yml", durationMs: 0, cases: [], errors: ["bad spec"] }], {
      title: "T",
      layout: "cases",
    });
    expect(errored).toContain("| s.yml | (suite error) | ❌ error | |");
    expect(errored).toContain("### Errors");
  });

  it("escapes | and newlines in cells and names", () => {
    const suite = "pkg|with|pipes";
    const markdown = renderTestSummary(
      [
        {
          name: suite,
          durationMs: 0,
          cases: [
            testCase(suite, "TestNormalize/mixed|pipe", "failed", { message: "x" }),
            testCase(suite, "line\nbreak <b>*bold*</b> `code` [link](x) _u_ ~s~ & \\", "passed"),
          ],
        },
      ],
      { title: "Tests | now", layout: "cases" },
    );
    expect(markdown).toContain("## Tests \\| now");
    expect(markdown).toContain("| pkg\\|with\\|pipes | TestNormalize/mixed\\|pipe | ❌ failed | 10 ms |");
    expect(markdown).toContain(
      "| pkg\\|with\\|pipes | line<br>break \\<b\\>\\*bold\\*\\</b\\> \\`code\\` \\[link\\](x) \\_u\\_ \\~s\\~ \\& \\\\ | ✅ passed | 10 ms |",
    );
    expect(markdown).toContain("❌ **TestNormalize/mixed\\|pipe** in pkg\\|with\\|pipes");
    // Every table row has exactly the header's number of unescaped cell separators.
    for (const row of markdown.split("\n").filter((line) => line.startsWith("|"))) {
      expect(row.replace(/\\\\/g, "").replace(/\\\|/g, "").split("|")).toHaveLength(6);
    }
  });

  it("fences messages holding backticks with a longer fence, cuts long messages", () => {
    const message = ["```go", ...Array.from({ length: 12 }, (_, i) => `line ${i + 1}`)].join("\n");
    const markdown = renderTestSummary(
      [{ name: "s", durationMs: 0, cases: [testCase("s", "t", "failed", { message })] }],
      { title: "T", layout: "suites", maxMessageLines: 3 },
    );
    expect(markdown).toContain("````text\n```go\nline 1\nline 2\n… 10 more lines\n````");
  });

  it("lists at most maxFailures failing tests and errors", () => {
    const cases = Array.from({ length: 5 }, (_, i) => testCase("s", `T${i}`, "failed", { message: `m${i}` }));
    const markdown = renderTestSummary([{ name: "s", durationMs: 0, cases, errors: ["e1", "e2", "e3"] }], {
      title: "T",
      layout: "suites",
      maxFailures: 2,
    });
    expect(markdown.match(/^❌ \*\*T\d\*\*/gm)).toEqual(["❌ **T0**", "❌ **T1**"]);
    expect(markdown).toContain("…and 3 more failing tests");
    expect(markdown).toContain("…and 1 more errors");
  });

  it("a parent without a message is listed when no subtest of it failed", () => {
    const markdown = renderTestSummary(
      [
        {
          name: "s",
          durationMs: 0,
          cases: [testCase("s", "TestA", "failed"), testCase("s", "TestAB", "failed")],
        },
      ],
      { title: "T", layout: "suites" },
    );
    expect(markdown).toContain("❌ **TestA** in s");
    expect(markdown).toContain("❌ **TestAB** in s");
  });

  it("renders no suites", () => {
    expect(renderTestSummary([], { title: "Go tests", layout: "suites" })).toContain(
      "✅ **all passed**, 0 passed, 0 skipped in 0 ms",
    );
  });
});

describe("escapeMarkdown", () => {
  it.each<[string, string]>([
    ["plain text", "plain text"],
    ["a|b", "a\\|b"],
    ["a\nb\r\nc\rd", "a<br>b<br>c<br>d"],
    ["<script>", "\\<script\\>"],
    ["*_`[]~&\\", "\\*\\_\\`\\[\\]\\~\\&\\\\"],
    ["✅ ünïcødé", "✅ ünïcødé"],
  ])("%s", (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe("renderTestSummary: flaky tests", () => {
  it("counts them in their own column, not as failures, and lists them with their location", () => {
    const summary = renderTestSummary(
      [
        {
          name: "example.com/app/flaky",
          durationMs: 5,
          cases: [
            { suite: "example.com/app/flaky", name: "TestOk", status: "passed", durationMs: 1 },
            {
              suite: "example.com/app/flaky",
              name: "TestNet",
              status: "flaky",
              durationMs: 1,
              message: "connection refused",
              location: { file: "flaky/net_test.go", line: 14 },
              reruns: [{ message: "connection refused", durationMs: 1 }],
            },
          ],
        },
      ],
      { title: "Go tests", layout: "suites" },
    );
    expect(summary.split("\n")).toEqual([
      "## Go tests",
      "",
      "✅ **all passed**, 1 passed, 0 skipped, **1 flaky** in 5 ms",
      "",
      "| | Package | Passed | Failed | Flaky | Skipped | Time |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
      "| ⚠️ | example.com/app/flaky | 1 | 0 | 1 | 0 | 5 ms |",
      "| | **Total** | **1** | **0** | **1** | **0** | **5 ms** |",
      "",
      "### Flaky tests",
      "",
      "Failed, then passed when run again: not counted as failures.",
      "",
      "⚠️ **TestNet** in example.com/app/flaky at flaky/net\\_test.go:14: failed 1 of 2 runs",
      "",
      "```text",
      "connection refused",
      "```",
      "",
    ]);
  });
});

describe("tableCell", () => {
  it.each<[string, number | undefined, string]>([
    ["a | b", undefined, "a \\| b"],
    ["line one\n  line two\r\nthree", undefined, "line one line two three"],
    ["`code` and <br>", undefined, "`code` and <br>"],
    ["abcdef", 3, "abc…"],
    ["abc", 3, "abc"],
  ])("%j (at most %s) → %j", (text, maxLength, expected) => {
    expect(tableCell(text, maxLength)).toBe(expected);
  });
});
