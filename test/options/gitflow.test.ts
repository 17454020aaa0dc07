import { describe, expect, it } from "vitest";
import { readGitflowSettings, toGitflowSettings } from "../../src/options/gitflow.js";
import { defaultInputs, layerInputs, recordInputs } from "../../src/options/input-source.js";

describe("toGitflowSettings", () => {
  it("leaves unset and empty values to the rules' defaults", () => {
    expect(toGitflowSettings({ developBranch: "", mainBranch: "", extraTags: [], latest: "" })).toEqual({});
  });
  it("keeps an empty version-tag-prefix and the given values", () => {
    expect(
      toGitflowSettings({
        developBranch: "dev",
        versionTagPrefix: "",
        keepVersionPrefix: false,
        extraTags: ["edge"],
        latest: "FALSE",
      }),
    ).toEqual({
      developBranch: "dev",
      versionTagPrefix: "",
      keepVersionPrefix: false,
      extraTags: ["edge"],
      latest: "false",
    });
  });
  it("refuses an unknown latest mode", () => {
    expect(() => toGitflowSettings({ latest: "always" })).toThrow(/latest: 'always' is not valid/);
  });
});

/** The layers go-build and docker-package read their git-flow settings over. */
const layered = (door: Record<string, string>, packageSection: Record<string, string>) =>
  readGitflowSettings(
    layerInputs(recordInputs(door), recordInputs(packageSection), defaultInputs("docker-package")),
  );

describe("readGitflowSettings", () => {
  it.each<[string, Record<string, string>, Record<string, string>, object]>([
    // An empty version-tag-prefix means "tags are 1.2.3": the action's default `v` must fill in an unset one.
    [
      "docker-package's defaults for nothing set",
      {},
      {},
      { versionTagPrefix: "v", keepVersionPrefix: false },
    ],
    [
      "goflow.yml's package section over the defaults",
      {},
      { "release-prefix": "rel/", "keep-version-prefix": "true", "develop-branch": "dev" },
      { releasePrefix: "rel/", keepVersionPrefix: true, developBranch: "dev", versionTagPrefix: "v" },
    ],
    [
      "a step's input over goflow.yml",
      { "release-prefix": "r/", "version-tag-prefix": "v" },
      { "release-prefix": "rel/", "develop-branch": "dev" },
      { releasePrefix: "r/", developBranch: "dev", versionTagPrefix: "v" },
    ],
    [
      "an empty step input as not set",
      { "release-prefix": " ", "keep-version-prefix": "" },
      { "release-prefix": "rel/", "keep-version-prefix": "true" },
      { releasePrefix: "rel/", keepVersionPrefix: true },
    ],
    [
      "the step's empty version-tag-prefix as a choice (its action.yml default is v)",
      { "version-tag-prefix": "" },
      {},
      { versionTagPrefix: "" },
    ],
    [
      "extra-tags as a list and latest as a choice",
      { "extra-tags": "edge\nnightly", latest: "FALSE" },
      {},
      { extraTags: ["edge", "nightly"], latest: "false" },
    ],
  ])("reads %s", (_name, door, section, expected) => {
    expect(layered(door, section)).toMatchObject(expected);
  });

  it("refuses a latest that is not a choice, naming the input", () => {
    expect(() => layered({ latest: "always" }, {})).toThrow(
      /input 'latest' is 'always'; use one of: auto, true, false/,
    );
  });
});
