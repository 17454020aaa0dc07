import { describe, expect, it } from "vitest";
import { goTestResultToSuites, packageDirResolver, parseTestEvents } from "../../../src/rules/go/index.js";
import { goFixture } from "./fixtures.js";

const packageDir = packageDirResolver("example.com/go-auth", ".");

describe("goTestResultToSuites", () => {
  it("one suite per package, one case per test and subtest", () => {
    const suites = goTestResultToSuites(parseTestEvents(goFixture("go-test-fail.jsonl")), { packageDir });
    expect(suites).toHaveLength(1);
    const [auth] = suites;
    expect(auth?.name).toBe("example.com/go-auth/internal/auth");
    expect(auth?.durationMs).toBe(5);
    expect(auth?.errors).toBeUndefined();
    expect(auth?.cases.map((c) => [c.name, c.status, c.message, c.location?.line])).toEqual([
      ["TestStatusOK", "passed", undefined, undefined],
      ["TestRegisterConflict", "failed", "expected 200, got 409", 42],
      ["TestNormalize", "failed", undefined, undefined],
      ["TestNormalize/lower", "passed", undefined, undefined],
      ["TestNormalize/upper", "failed", 'Normalize("ABC") = "ABC"\nwant "abc"\n<xml & "quotes">', 55],
      ["TestNormalize/mixed|pipe", "failed", 'Normalize("AbC") = "AbC"\nwant "abc"\n<xml & "quotes">', 55],
      ["TestSkipped", "skipped", "needs a database", undefined],
      ["TestFatal", "failed", "token signature invalid: bad", 66],
    ]);
    expect(auth?.cases[1]).toEqual({
      suite: "example.com/go-auth/internal/auth",
      name: "TestRegisterConflict",
      status: "failed",
      durationMs: 0,
      message: "expected 200, got 409",
      details: "    auth_test.go:12: registering user\n    auth_test.go:42: expected 200, got 409",
      location: { file: "internal/auth/auth_test.go", line: 42 },
    });
  });

  it("without packageDir there are no locations", () => {
    const suites = goTestResultToSuites(parseTestEvents(goFixture("go-test-fail.jsonl")));
    expect(suites[0]?.cases.some((c) => c.location !== undefined)).toBe(false);
  });

  it("build failures and packages failing outside tests are suite errors; no-test packages are empty suites", () => {
    const suites = goTestResultToSuites(parseTestEvents(goFixture("go-test-all.jsonl")), { packageDir });
    const errors = Object.fromEntries(
      suites.filter((s) => s.errors).map((s) => [s.name.replace("example.com/go-auth/", ""), s.errors]),
    );
    expect(errors).toEqual({
      "internal/broken": ["build failed\ninternal/broken/broken.go:4:9: undefined: undefinedThing"],
      "internal/usesbroken": ["build failed\ninternal/broken/broken.go:4:9: undefined: undefinedThing"],
      "internal/vetbad": [
        'build failed\ninternal/vetbad/vetbad.go:6:9: fmt.Sprintf format %d has arg "str" of wrong type string\ninternal/vetbad/vetbad.go:10:2: fmt.Printf format %s reads arg #1, but call has 0 args',
      ],
    });
    expect(suites.find((s) => s.name.endsWith("/notests"))).toEqual({
      name: "example.com/go-auth/internal/notests",
      durationMs: 0,
      cases: [],
    });
    expect(suites.find((s) => s.name.endsWith("/slow"))?.durationMs).toBe(3007);
  });

  it("a package failing outside any test", () => {
    const text = [
      { Action: "run", Test: "TestA" },
      { Action: "pass", Test: "TestA", Elapsed: 0.25 },
      { Action: "output", Output: "cleanup: leaked goroutine\n" },
      { Action: "output", Output: "FAIL\texample.com/go-auth\t0.30s\n" },
      { Action: "fail", Elapsed: 0.3 },
    ]
      .map((line) => JSON.stringify({ Package: "example.com/go-auth", ...line }))
      .join("\n");
    expect(goTestResultToSuites(parseTestEvents(text))).toEqual([
      {
        name: "example.com/go-auth",
        durationMs: 300,
        cases: [{ suite: "example.com/go-auth", name: "TestA", status: "passed", durationMs: 250 }],
        errors: ["failed outside any test\ncleanup: leaked goroutine"],
      },
    ]);
  });

  it("a failing leaf with no location gets its output's summary", () => {
    const text = [
      { Action: "output", Test: "TestA", Output: "plain\n" },
      { Action: "fail", Test: "TestA" },
      { Action: "fail", Test: "TestB" },
      { Action: "fail" },
    ]
      .map((line) => JSON.stringify({ Package: "p", ...line }))
      .join("\n");
    expect(goTestResultToSuites(parseTestEvents(text))[0]?.cases.map((c) => c.message)).toEqual([
      "plain",
      "failed",
    ]);
  });
});
