import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { formatDuration, parseDuration } from "../../../src/rules/spec/duration.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["60s", 60_000],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    ["1.5s", 1_500],
    [" 10s ", 10_000],
    ["0s", 0],
    ["30", 30_000],
    [60, 60_000],
    [0.25, 250],
    [0, 0],
  ] as const)("reads %j as %i ms", (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each(["60 sec", "1d", "ms", "-5s", "1m 30s", "", "s10", "1.s"])("rejects %j", (value) => {
    expect(() => parseDuration(value, { file: "spec.yml", line: 3, column: 12 })).toThrow(
      new ConfigurationError(
        `'${value}' is not a duration; write it like 500ms, 60s, 2m or 1m30s, or as a number of seconds`,
        { file: "spec.yml", line: 3, column: 12 },
      ),
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("rejects the number %d", (value) => {
    expect(() => parseDuration(value)).toThrow(/is not a duration; give a number of seconds of 0 or more/);
  });
});

describe("formatDuration", () => {
  it.each([
    [742, "742ms"],
    [1_000, "1s"],
    [1_500, "1.5s"],
    [60_000, "1m"],
    [90_000, "1m30s"],
  ])("formats %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
