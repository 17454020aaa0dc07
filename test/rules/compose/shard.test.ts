import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { parseShard, type Shard, selectShard } from "../../../src/rules/compose/index.js";

describe("parseShard", () => {
  it.each<[string, Shard]>([
    ["1/1", { index: 1, total: 1 }],
    ["2/3", { index: 2, total: 3 }],
    ["3/3", { index: 3, total: 3 }],
    [" 10/12 ", { index: 10, total: 12 }],
  ])("%j → %j", (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(["0/3", "4/3", "a/b", "1/0", "0/0", "", "1", "1/", "/3", "-1/3", "1.5/3", "1 / 3", "2/3/4"])(
    "rejects %j with the fix",
    (text) => {
      expect(() => parseShard(text)).toThrow(ConfigurationError);
      expect(() => parseShard(text)).toThrow(/write INDEX\/TOTAL with 1 <= INDEX <= TOTAL, e\.g\. '1\/3'/);
    },
  );
});

describe("selectShard", () => {
  const FILES = ["specs/e.yml", "specs/a.yml", "specs/d.yml", "specs/b.yml", "specs/c.yml"];

  it.each<[string, string[]]>([
    ["1/1", ["specs/a.yml", "specs/b.yml", "specs/c.yml", "specs/d.yml", "specs/e.yml"]],
    ["1/2", ["specs/a.yml", "specs/c.yml", "specs/e.yml"]],
    ["2/2", ["specs/b.yml", "specs/d.yml"]],
    ["1/3", ["specs/a.yml", "specs/d.yml"]],
    ["3/3", ["specs/c.yml"]],
    ["5/5", ["specs/e.yml"]],
    ["6/7", []],
  ])("shard %s", (shard, expected) => {
    expect(selectShard(FILES, shard)).toEqual(expected);
  });

  it.each([1, 2, 3, 4, 7])("puts every file in exactly one of %i shards", (total) => {
    const files = Array.from({ length: 11 }, (_, i) => `t/${String.fromCharCode(107 - i)}.yml`);
    const all = Array.from({ length: total }, (_, i) => selectShard(files, { index: i + 1, total })).flat();
    expect(all.sort()).toEqual([...files].sort());
    const sizes = Array.from({ length: total }, (_, i) => selectShard(files, `${i + 1}/${total}`).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it.each<[string, string[], string[]]>([
    ["input order does not matter", ["b", "a", "c"], ["a", "c"]],
    ["duplicates count once", ["a", "b", "a", "c"], ["a", "c"]],
    ["code-unit order, upper case first", ["b", "B", "a"], ["B", "b"]],
    ["no files", [], []],
  ])("%s", (_, files, expected) => {
    expect(selectShard(files, "1/2")).toEqual(expected);
  });

  it.each<[string, Shard]>([
    ["index 0", { index: 0, total: 2 }],
    ["index past total", { index: 3, total: 2 }],
    ["fractional index", { index: 1.5, total: 2 }],
    ["NaN total", { index: 1, total: Number.NaN }],
  ])("rejects a shard object with %s", (_, shard) => {
    expect(() => selectShard(["a"], shard)).toThrow(ConfigurationError);
  });
});
