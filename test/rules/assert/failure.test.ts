import { describe, expect, it } from "vitest";
import {
  type AssertionFailure,
  convertFailuresToFindings,
  convertFailureToFinding,
  formatFailure,
} from "../../../src/rules/assert/failure.js";

const location = { file: "specs/auth.yml", line: 12, column: 15 };

describe("formatFailure", () => {
  it.each<[AssertionFailure, string]>([
    [{ matcher: "status", expected: "200", actual: "409", location }, "status: expected 200, got 409"],
    [
      { matcher: "json $.token length", expected: "40", actual: '12 ("abc")', location },
      'json $.token length: expected 40, got 12 ("abc")',
    ],
    [
      { matcher: "body contains", expected: '"exists"', actual: '"Conflict"', location },
      'body contains: expected "exists", got "Conflict"',
    ],
  ])("formats %j", (failure, line) => {
    expect(formatFailure(failure)).toBe(line);
  });
});

describe("convertFailureToFinding", () => {
  it("makes an error annotation on the matcher's line, titled with the test", () => {
    const failure = { matcher: "status", expected: "200", actual: "409", location };
    expect(convertFailureToFinding(failure, "Register User")).toEqual({
      severity: "error",
      title: "compose-test: Register User",
      message: "status: expected 200, got 409",
      location,
    });
    expect(convertFailuresToFindings([failure, { ...failure, matcher: "duration" }], "t")).toHaveLength(2);
  });
});
