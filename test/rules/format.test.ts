import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, lastLines, plural } from "../../src/rules/format.js";

describe("formatDuration", () => {
  it.each<[number, string]>([
    [0, "0 ms"],
    [742.4, "742 ms"],
    [1000, "1.0 s"],
    [1540, "1.5 s"],
    [59_949, "59.9 s"],
    [0.4, "0 ms"],
    [-5, "0 ms"],
    [60_000, "1 min 0 s"],
    [119_600, "2 min 0 s"],
    [125_400, "2 min 5 s"],
    [3_725_000, "62 min 5 s"],
  ])("%s ms → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("formatBytes", () => {
  it.each<[number, string]>([
    [0, "0 KiB"],
    [1536, "2 KiB"],
    [1024 * 1024 - 1, "1024 KiB"],
    [1024 * 1024, "1.0 MiB"],
    [12.34 * 1024 * 1024, "12.3 MiB"],
  ])("%s bytes → %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe("plural", () => {
  it.each<[number, string]>([
    [0, "0 tests"],
    [1, "1 test"],
    [2, "2 tests"],
  ])("%s → %s", (count, text) => expect(plural(count, "test", "tests")).toBe(text));
});

describe("lastLines", () => {
  it.each<[string, number, string | undefined, string]>([
    ["a\nb\nc\n", 2, undefined, "b\nc"],
    ["\n  a\nb  \n\n", 5, undefined, "a\nb"],
    ["a\nb\nc", 2, " ", "b c"],
    ["", 3, undefined, ""],
  ])("%j, last %s → %j", (text, count, separator, expected) =>
    expect(lastLines(text, count, separator)).toBe(expected),
  );
});
