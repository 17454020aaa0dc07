import { describe, expect, it } from "vitest";
import { capFindings, type Finding } from "../../../src/rules/report/index.js";

function error(n: number): Finding {
  return { severity: "error", message: `e${n}`, location: { file: "a.go", line: n } };
}

const five = [1, 2, 3, 4, 5].map(error);

describe("capFindings", () => {
  it.each<[string, Finding[], number, string[]]>([
    ["empty", [], 3, []],
    ["under the limit", five.slice(0, 2), 3, ["e1", "e2"]],
    ["exactly the limit", five.slice(0, 3), 3, ["e1", "e2", "e3"]],
    ["over the limit", five, 3, ["e1", "e2", "e3", "and 2 more"]],
    ["limit 0", five, 0, ["and 5 more"]],
  ])("%s", (_, findings, limit, expected) => {
    expect(capFindings(findings, limit).map((finding) => finding.message)).toEqual(expected);
  });

  it("the rest is one notice without a location, worded by the caller", () => {
    expect(capFindings(five, 4, (n) => `${n} more failing tests not annotated`).at(-1)).toEqual({
      severity: "notice",
      message: "1 more failing tests not annotated",
    });
  });

  it("does not change its input", () => {
    const input = [...five];
    capFindings(input, 1);
    expect(input).toEqual(five);
  });

  it.each([-1, 1.5, Number.NaN])("rejects limit %s", (limit) => {
    expect(() => capFindings(five, limit)).toThrow(RangeError);
  });
});
