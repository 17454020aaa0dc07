import { describe, expect, it } from "vitest";
import { readProjectGitflowSettings } from "../../src/actions/gitflow-inputs.js";
import { readInput } from "../../src/actions/inputs.js";

describe("readProjectGitflowSettings", () => {
  it.each<[string, Record<string, string>, object]>([
    // An empty version-tag-prefix means "tags are 1.2.3": the action's default `v` must fill it in.
    [
      "docker-package's defaults for an empty section",
      {},
      { versionTagPrefix: "v", keepVersionPrefix: false },
    ],
    [
      "goflow.yml's package section over the defaults",
      { "release-prefix": "rel/", "keep-version-prefix": "true", "develop-branch": "dev" },
      { releasePrefix: "rel/", keepVersionPrefix: true, developBranch: "dev", versionTagPrefix: "v" },
    ],
  ])("reads %s", (_name, section, expected) => {
    expect(readProjectGitflowSettings(section)).toMatchObject(expected);
  });

  // go-build's own git-flow inputs (what the reusable workflow passes) over goflow.yml, as in docker-package.
  it.each<[string, Record<string, string>, Record<string, string>, object]>([
    [
      "a step's input over goflow.yml",
      { "release-prefix": "rel/", "develop-branch": "dev" },
      { "release-prefix": "r/", "version-tag-prefix": "v" },
      { releasePrefix: "r/", developBranch: "dev", versionTagPrefix: "v" },
    ],
    [
      "an empty step input as not set",
      { "release-prefix": "rel/", "keep-version-prefix": "true" },
      { "release-prefix": " ", "keep-version-prefix": "", "version-tag-prefix": "v" },
      { releasePrefix: "rel/", keepVersionPrefix: true },
    ],
    [
      "the step's empty version-tag-prefix as a choice (its action.yml default is v)",
      {},
      { "version-tag-prefix": "" },
      { versionTagPrefix: "" },
    ],
    [
      "docker-package's defaults when neither says anything",
      {},
      { "version-tag-prefix": "v" },
      { versionTagPrefix: "v", keepVersionPrefix: false },
    ],
  ])("reads %s", (_name, section, inputs, expected) => {
    expect(readProjectGitflowSettings(section, (name) => inputs[name] ?? "")).toMatchObject(expected);
  });

  it("puts the runner's inputs back", () => {
    readProjectGitflowSettings({ "release-prefix": "rel/" });
    expect(readInput("release-prefix")).toBe("");
  });
});
