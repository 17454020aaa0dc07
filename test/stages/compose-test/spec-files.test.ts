import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFiles } from "../../../src/stages/compose-test/spec-files.js";

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
