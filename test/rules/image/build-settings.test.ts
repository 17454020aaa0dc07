import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  checkArtifactSettings,
  chooseImageTags,
  ignoredBuildSettings,
  parsePlatform,
} from "../../../src/rules/image/build-settings.js";

describe("parsePlatform", () => {
  it.each<[string[], string | undefined]>([
    [[], undefined],
    [["linux/amd64"], "linux/amd64"],
    [["linux/arm64/v8"], "linux/arm64/v8"],
    [["linux/arm/v7"], "linux/arm/v7"],
  ])("%j → %j", (platforms, expected) => {
    expect(parsePlatform(platforms)).toBe(expected);
  });

  it.each<[string[], RegExp]>([
    [
      ["linux/amd64", "linux/arm64"],
      /^platforms lists 2 platforms \(linux\/amd64, linux\/arm64\); .*one platform per image/,
    ],
    [["amd64"], /^platforms: 'amd64' is not a platform; write os\/arch\[\/variant\]/],
    [["Linux/AMD64"], /is not a platform/],
  ])("refuses %j", (platforms, message) => {
    expect(() => parsePlatform(platforms)).toThrow(ConfigurationError);
    expect(() => parsePlatform(platforms)).toThrow(message);
  });
});

describe("chooseImageTags", () => {
  it.each<[string, string[], string[], string[], string[]]>([
    ["the rules' tags without explicit ones", [], ["sha-x"], ["1.2.3", "1.2"], ["1.2.3", "1.2"]],
    ["explicit tags replace them, extra tags are added", ["ci"], ["sha-x"], ["1.2.3"], ["ci", "sha-x"]],
    ["each tag once, extra tags trimmed", ["ci", "sha-x"], [" sha-x ", ""], ["1.2.3"], ["ci", "sha-x"]],
  ])("%s", (_, explicit, extra, rules, expected) => {
    expect(chooseImageTags(explicit, extra, rules)).toEqual(expected);
  });
});

describe("ignoredBuildSettings", () => {
  const none = { buildArgs: [], target: undefined, labels: {}, platforms: [] };
  it.each<[string, Parameters<typeof ignoredBuildSettings>[0], string[]]>([
    ["nothing set", none, []],
    [
      "everything set",
      { buildArgs: [["A", "1"]], target: "runtime", labels: { a: "b" }, platforms: ["linux/amd64"] },
      ["build-args", "target", "labels", "platforms"],
    ],
    ["only a target", { ...none, target: "runtime" }, ["target"]],
  ])("%s", (_, settings, expected) => {
    expect(ignoredBuildSettings(settings)).toEqual(expected);
  });
});

describe("checkArtifactSettings", () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ["binaries", undefined],
    [undefined, "image"],
  ])("artifact-name %j with load-artifact %j is fine", (artifactName, loadArtifact) => {
    expect(() => checkArtifactSettings({ artifactName, loadArtifact })).not.toThrow();
  });

  it("refuses both: a loaded image gets no binaries", () => {
    expect(() => checkArtifactSettings({ artifactName: "binaries", loadArtifact: "image" })).toThrow(
      /^artifact-name 'binaries' and load-artifact 'image' are both set; .*remove artifact-name$/,
    );
  });
});
