import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import { globBase, globToRegExp, planFileSearch, selectFoundFiles } from "../../src/rules/glob.js";

describe("globToRegExp", () => {
  it.each<[string, string, boolean]>([
    ["tests/*.yml", "tests/a.yml", true],
    ["tests/*.yml", "tests/a.yaml", false],
    ["tests/*.yml", "tests/sub/a.yml", false],
    ["tests/*.yml", "other/a.yml", false],
    ["./tests/*.yml", "tests/a.yml", true],
    ["tests/**/*.yml", "tests/a.yml", true],
    ["tests/**/*.yml", "tests/x/y/a.yml", true],
    ["tests/**/*.yml", "testsx/a.yml", false],
    ["**/*.yml", "a.yml", true],
    ["**/*.yml", "deep/er/a.yml", true],
    ["tests/**", "tests/a/b.yml", true],
    ["tests/?.yml", "tests/a.yml", true],
    ["tests/?.yml", "tests/ab.yml", false],
    ["tests/[ab].yml", "tests/b.yml", true],
    ["tests/[ab].yml", "tests/c.yml", false],
    ["tests/[!ab].yml", "tests/c.yml", true],
    ["tests/[a-c].yml", "tests/b.yml", true],
    ["tests/*.{yml,yaml}", "tests/a.yaml", true],
    ["tests/*.{yml,yaml}", "tests/a.json", false],
    ["tests/a+b.yml", "tests/a+b.yml", true],
    ["tests/a+b.yml", "tests/aab.yml", false],
    ["tests/(x).yml", "tests/(x).yml", true],
    ["tests\\*.yml", "tests/a.yml", true],
    ["tests/a**b.yml", "tests/axxb.yml", true],
    ["tests/a**b.yml", "tests/a/b.yml", false],
  ])("%s matches %s: %s", (pattern, path, matches) => {
    expect(globToRegExp(pattern).test(path)).toBe(matches);
  });

  it("rejects an unclosed brace", () => {
    expect(() => globToRegExp("tests/*.{yml")).toThrow(ConfigurationError);
  });
});

describe("globBase", () => {
  it.each<[string, string]>([
    ["tests/*.yml", "tests"],
    ["tests/api/**/*.yml", "tests/api"],
    ["*.yml", ""],
    ["t*/a.yml", ""],
    ["./specs/a.yml", "specs"],
  ])("%s → %j", (pattern, base) => {
    expect(globBase(pattern)).toBe(base);
  });
});

describe("planFileSearch", () => {
  it("sorts patterns into literal files, globs with their base folder, and exclusions", () => {
    const search = planFileSearch(["./tests/a.yml", "tests/api/**/*.yml", " !tests/api/x/** "]);
    expect(search.literals).toEqual(["tests/a.yml"]);
    expect(search.globs.map((glob) => glob.base)).toEqual(["tests/api"]);
    expect(search.globs[0]?.regex.test("tests/api/v1/a.yml")).toBe(true);
    expect(search.exclude.map((regex) => regex.test("tests/api/x/a.yml"))).toEqual([true]);
  });

  it.each<[string]>([["../outside/*.yml"], ["/etc/*.yml"], ["tests/../../a.yml"]])(
    "refuses %s, which leaves the working directory",
    (pattern) => {
      expect(() => planFileSearch([pattern])).toThrow(/leaves the working directory/);
    },
  );
});

describe("selectFoundFiles", () => {
  it.each<[string[], string[], string[]]>([
    [["b", "a", "b"], [], ["a", "b"]],
    [["tests/B.yml", "tests/a.yml"], [], ["tests/B.yml", "tests/a.yml"]],
    [["tests/a.yml", "tests/api/d.yml"], ["tests/api/**"], ["tests/a.yml"]],
  ])("%j without %j → %j", (found, exclude, expected) => {
    expect(selectFoundFiles(found, exclude.map(globToRegExp))).toEqual(expected);
  });
});
