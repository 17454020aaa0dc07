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

  it("puts the runner's inputs back", () => {
    readProjectGitflowSettings({ "release-prefix": "rel/" });
    expect(readInput("release-prefix")).toBe("");
  });
});
