import { describe, expect, it } from "vitest";
import { readInput } from "../../src/actions/inputs.js";
import { readStageOptions } from "../../src/cli/stage-inputs.js";
import { emptyProjectConfig } from "../../src/rules/config/project-config.js";

describe("readStageOptions", () => {
  const config = emptyProjectConfig();
  config.package = { image: "ghcr.io/acme/from-goflow-yml", latest: "false" };

  const read = (flags: Record<string, string | undefined>, names: string[]) =>
    readStageOptions("docker-package", config, flags, () => names.map((name) => readInput(name)));

  it.each<[string, Record<string, string | undefined>, string, string]>([
    ["a flag wins over goflow.yml", { image: "ghcr.io/acme/from-flag" }, "image", "ghcr.io/acme/from-flag"],
    ["goflow.yml fills what the flags leave empty", { image: "  " }, "image", "ghcr.io/acme/from-goflow-yml"],
    ["the action.yml default fills what both leave empty", {}, "version-tag-prefix", "v"],
    ["goflow.yml wins over the action.yml default", {}, "latest", "false"],
    ["nothing anywhere is empty", {}, "target", ""],
  ])("%s", (_name, flags, input, expected) => {
    expect(read(flags, [input])).toEqual([expected]);
  });

  it("restores the runner's inputs afterwards", () => {
    read({ image: "x" }, ["image"]);
    expect(readInput("image")).toBe("");
  });
});
