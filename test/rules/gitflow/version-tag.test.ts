import { describe, expect, it } from "vitest";
import { compareVersions, type ParsedVersion, parseVersionTag } from "../../../src/rules/gitflow/index.js";

describe("parseVersionTag", () => {
  it.each<[string, string, ParsedVersion | undefined]>([
    ["v1.2.3", "v", { parts: [1, 2, 3] }],
    ["V1.2.3", "v", { parts: [1, 2, 3] }],
    ["1.2.3", "v", { parts: [1, 2, 3] }],
    ["v0.1.2", "v", { parts: [0, 1, 2] }],
    ["v2.0", "v", { parts: [2, 0] }],
    ["v2", "v", { parts: [2] }],
    ["v2.0.0-rc.1", "v", { parts: [2, 0, 0], prerelease: "rc.1" }],
    ["v1.2.3+build.5", "v", { parts: [1, 2, 3], build: "build.5" }],
    ["v1.2.3-beta-2.x+sha.abc", "v", { parts: [1, 2, 3], prerelease: "beta-2.x", build: "sha.abc" }],
    ["Release-1.0", "release-", { parts: [1, 0] }],
    ["1.0", "", { parts: [1, 0] }],
    ["v1.0", "", undefined],
    ["vv1.2.3", "v", undefined],
    ["v", "v", undefined],
    ["", "v", undefined],
    ["v1.2.3.4", "v", undefined],
    ["v01.2.3", "v", undefined],
    ["v1.2.3-", "v", undefined],
    ["v1.2.3-rc..1", "v", undefined],
    ["v1.2.3+", "v", undefined],
    ["v1.x", "v", undefined],
    ["nightly", "v", undefined],
    ["v1.2.3 ", "v", undefined],
    ["v99999999999999999999", "v", undefined],
    // SemVer 2.0.0 §9: numeric pre-release identifiers have no leading zeros.
    ["v1.2.3-0123", "v", undefined],
    ["v1.2.3-rc.01", "v", undefined],
    ["v1.2.3-00", "v", undefined],
    ["v1.2.3-0", "v", { parts: [1, 2, 3], prerelease: "0" }],
    ["v1.2.3-0a.10", "v", { parts: [1, 2, 3], prerelease: "0a.10" }],
    ["v1.2.3-01-x", "v", { parts: [1, 2, 3], prerelease: "01-x" }],
    ["v1.2.3-rc.0+001", "v", { parts: [1, 2, 3], prerelease: "rc.0", build: "001" }],
  ])("%j with prefix %j", (tag, prefix, expected) => {
    expect(parseVersionTag(tag, prefix)).toEqual(expected);
  });
});

describe("compareVersions", () => {
  const parse = (tag: string): ParsedVersion => {
    const version = parseVersionTag(tag, "v");
    if (version === undefined) throw new Error(`test fixture ${tag} is not a version`);
    return version;
  };

  it.each<[string, string, number]>([
    ["v1.2.3", "v1.2.3", 0],
    ["v2", "v2.0.0", 0],
    ["v2.0", "v2.0.0", 0],
    ["v1.2.3+a", "v1.2.3+b", 0],
    ["v1.10.0", "v1.9.0", 1],
    ["v1.2.3", "v1.2.4", -1],
    ["v2", "v1.99.99", 1],
    ["v0.1.0", "v0.0.9", 1],
    ["v1.0.0", "v1.0.0-rc.1", 1],
    ["v1.0.0-rc.1", "v1.0.0-rc.2", -1],
    ["v1.0.0-rc.10", "v1.0.0-rc.9", 1],
    ["v1.0.0-alpha", "v1.0.0-alpha.1", -1],
    ["v1.0.0-alpha.1", "v1.0.0-alpha.beta", -1],
    ["v1.0.0-beta", "v1.0.0-alpha", 1],
    ["v1.0.0-rc.99999999999999999999", "v1.0.0-rc.99999999999999999998", 1],
  ])("%s vs %s", (a, b, expected) => {
    expect(compareVersions(parse(a), parse(b))).toBe(expected);
    expect(compareVersions(parse(b), parse(a))).toBe(-expected || 0);
  });
});
