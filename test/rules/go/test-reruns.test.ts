import { describe, expect, it } from "vitest";
import { formatRunPattern, parseTestEvents, planTestReruns } from "../../../src/rules/go/index.js";
import { goFixture } from "./fixtures.js";

describe("formatRunPattern", () => {
  it.each<[string[], string]>([
    [["TestA"], "^TestA$"],
    [["TestA", "TestB"], "^TestA$|^TestB$"],
    [["TestTable/needs_(marker)"], "^TestTable$/^needs_\\(marker\\)$"],
    [["TestA/a/b"], "^TestA$/^a$/^b$"],
    [
      ["TestX/1+1=2", "TestX/a|b", "TestX/[x]", "TestX/$1.50^"],
      "^TestX$/^1\\+1=2$|^TestX$/^a\\|b$|^TestX$/^\\[x\\]$|^TestX$/^\\$1\\.50\\^$",
    ],
    [["TestDup/case#01"], "^TestDup$/^case#01$"],
    [["TestX/{a}*?\\"], "^TestX$/^\\{a\\}\\*\\?\\\\$"],
  ])("%j → %s", (tests, pattern) => {
    expect(formatRunPattern(tests)).toBe(pattern);
  });
});

describe("planTestReruns", () => {
  it("reruns failed subtests on their own and tests that failed themselves, per package", () => {
    expect(planTestReruns(parseTestEvents(goFixture("go-test-rerun-1.jsonl")))).toEqual([
      {
        package: "example.com/go-auth/flaky",
        tests: ["TestSometimes", "TestTable/needs_(marker)", "TestAlwaysFails"],
        pattern: "^TestSometimes$|^TestTable$/^needs_\\(marker\\)$|^TestAlwaysFails$",
      },
    ]);
  });

  it("reruns a parent that failed itself whole, not its subtests again", () => {
    const result = parseTestEvents(goFixture("go-test-fail.jsonl"));
    const plan = planTestReruns(result);
    expect(plan).toHaveLength(1);
    const tests = plan[0]?.tests ?? [];
    for (const name of tests) {
      expect(tests.some((other) => name.startsWith(`${other}/`))).toBe(false);
    }
    const failedLeaves = result.packages[0]?.tests.filter(
      (test) =>
        test.status === "fail" &&
        !result.packages[0]?.tests.some((o) => o.status === "fail" && o.name.startsWith(`${test.name}/`)),
    );
    for (const leaf of failedLeaves ?? []) {
      expect(tests.some((name) => leaf.name === name || leaf.name.startsWith(`${name}/`))).toBe(true);
    }
  });

  const mainFailed = [
    { Action: "run", Package: "example.com/a", Test: "TestX" },
    { Action: "fail", Package: "example.com/a", Test: "TestX", Elapsed: 0 },
    { Action: "output", Package: "example.com/b", Output: "TestMain: database unreachable\n" },
    { Action: "fail", Package: "example.com/b", Elapsed: 0 },
  ]
    .map((event) => JSON.stringify(event))
    .join("\n");

  it.each<[string, string]>([
    ["a build failure", goFixture("go-test-build-fail.jsonl")],
    ["a package that failed outside any test", mainFailed],
  ])("plans nothing after %s: a rerun cannot make it pass", (_name, stream) => {
    expect(planTestReruns(parseTestEvents(stream))).toEqual([]);
  });

  it("plans nothing when every test passed", () => {
    expect(planTestReruns(parseTestEvents(goFixture("go-test-pass.jsonl")))).toEqual([]);
  });
});
