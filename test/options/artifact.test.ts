import { describe, expect, it } from "vitest";
import { readArtifactRetention } from "../../src/options/artifact.js";
import { recordInputs } from "../../src/options/input-source.js";

describe("readArtifactRetention", () => {
  it.each<[Record<string, string>, number | undefined]>([
    [{}, undefined],
    [{ "retention-days": " " }, undefined],
    [{ "retention-days": "7" }, 7],
  ])("reads %j as %s days", (inputs, days) => {
    expect(readArtifactRetention(recordInputs(inputs))).toEqual({ retentionDays: days });
  });

  it.each(["0", "-1", "a week"])("refuses %j, asking for a whole number of at least 1", (value) => {
    expect(() => readArtifactRetention(recordInputs({ "retention-days": value }))).toThrow(
      `input 'retention-days' is '${value}'; use a whole number >= 1`,
    );
  });
});
