import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  assertImageTag,
  isImageTag,
  sanitizeExtraTags,
  sanitizeTag,
} from "../../../src/rules/gitflow/index.js";

describe("sanitizeTag", () => {
  it.each<[string, string]>([
    ["develop", "develop"],
    ["feature/MSP-123", "feature-MSP-123"],
    ["feature/a/b", "feature-a-b"],
    ["feature/ümlaut weird!!name", "feature-mlaut-weird-name"],
    ["--lead", "lead"],
    [".hidden", "hidden"],
    ["-.-x", "x"],
    ["a--b", "a--b"],
    ["a//b", "a-b"],
    ["trailing/", "trailing-"],
    ["under_score.dot", "under_score.dot"],
    ["emoji🚀rocket", "emoji-rocket"],
    ["/leading/slash", "leading-slash"],
  ])("%j → %j", (name, expected) => {
    expect(sanitizeTag(name)).toBe(expected);
  });

  it.each(["", "///", "...", "-", "ü"])("%j has no usable characters", (name) => {
    expect(() => sanitizeTag(name, "branch")).toThrow(ConfigurationError);
    expect(() => sanitizeTag(name, "branch")).toThrow(/^branch '.*' has no characters an image tag can use/);
  });

  it("keeps a name of exactly 128 characters", () => {
    const name = "a".repeat(128);
    expect(sanitizeTag(name)).toBe(name);
  });

  it.each<[string, string, string]>([
    ["same first 128 characters", `${"a".repeat(128)}-one`, `${"a".repeat(128)}-two`],
    ["same first 200 characters", `feature/${"b".repeat(200)}x`, `feature/${"b".repeat(200)}y`],
    ["equal after sanitising", `${"c".repeat(130)}/x`, `${"c".repeat(130)}-x`],
  ])("long names with the %s do not collide", (_name, first, second) => {
    const a = sanitizeTag(first);
    const b = sanitizeTag(second);
    expect(a).not.toBe(b);
    expect(a).toHaveLength(128);
    expect(b).toHaveLength(128);
    expect(a).toMatch(/-[0-9a-f]{8}$/);
    expect(isImageTag(a)).toBe(true);
  });

  it("is stable for the same long name", () => {
    const name = "d".repeat(300);
    expect(sanitizeTag(name)).toBe(sanitizeTag(name));
  });
});

describe("isImageTag / assertImageTag", () => {
  it.each<[string, boolean]>([
    ["1.2.3", true],
    ["_x", true],
    ["v1.2.3-rc.1", true],
    ["a".repeat(128), true],
    ["a".repeat(129), false],
    ["", false],
    [".x", false],
    ["-x", false],
    ["a/b", false],
    ["a+b", false],
  ])("%j valid: %s", (tag, valid) => {
    expect(isImageTag(tag)).toBe(valid);
    if (valid) expect(() => assertImageTag(tag)).not.toThrow();
    else expect(() => assertImageTag(tag)).toThrow(ConfigurationError);
  });
});

describe("sanitizeExtraTags", () => {
  it.each<[string[], string[]]>([
    [["  stable ", "", "  "], ["stable"]],
    [
      ["Feature/Login", "v1.2"],
      ["Feature-Login", "v1.2"],
    ],
    [[], []],
  ])("%j → %j", (tags, expected) => expect(sanitizeExtraTags(tags)).toEqual(expected));
});
