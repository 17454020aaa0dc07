import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { findFiles, globBase, globToRegExp } from "../../../src/stages/compose-test/glob.js";

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

describe("findFiles", () => {
  let root: string;
  const files = [
    "tests/b.yml",
    "tests/a.yml",
    "tests/c.yaml",
    "tests/api/d.yml",
    "tests/node_modules/x.yml",
    "other/e.yml",
    "README.md",
  ];
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "goflow-glob-"));
    for (const file of files) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), "");
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each<[string[], string[]]>([
    [["tests/*.yml"], ["tests/a.yml", "tests/b.yml"]],
    [["tests/**/*.yml"], ["tests/a.yml", "tests/api/d.yml", "tests/b.yml"]],
    [["tests/*.{yml,yaml}"], ["tests/a.yml", "tests/b.yml", "tests/c.yaml"]],
    [
      ["tests/*.yml", "other/*.yml"],
      ["other/e.yml", "tests/a.yml", "tests/b.yml"],
    ],
    [
      ["tests/*.yml", "tests/a.yml"],
      ["tests/a.yml", "tests/b.yml"],
    ],
    [
      ["tests/**/*.yml", "!tests/api/**"],
      ["tests/a.yml", "tests/b.yml"],
    ],
    [["tests/a.yml"], ["tests/a.yml"]],
    [["missing/*.yml"], []],
  ])("%j → %j", (patterns, expected) => {
    expect(findFiles(root, patterns)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ["tests/missing.yml", /spec file 'tests\/missing.yml' does not exist/],
    ["../outside/*.yml", /leaves the working directory/],
    ["/etc/*.yml", /leaves the working directory/],
  ])("rejects %s", (pattern, message) => {
    expect(() => findFiles(root, [pattern])).toThrow(message);
  });
});
