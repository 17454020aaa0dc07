import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

describe("the root action.yml", () => {
  it("and the CLI's input defaults are generated from the stage actions and up to date", () => {
    const result = spawnSync(process.execPath, ["scripts/generate-actions.mjs", "--check"], {
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("takes every stage input under its own name, except the two renamed ones, the job hand-offs and tested-marker", () => {
    const inputsOf = (file: string) =>
      Object.keys((parseYaml(readFileSync(file, "utf8")) as { inputs: Record<string, unknown> }).inputs);
    const root = inputsOf("action.yml");
    const handOffs = [
      "artifact-name",
      "save-artifact",
      "load-artifact",
      "defer-push",
      "shard",
      "retention-days",
      // One step publishes only after its own tests passed: it always leaves the marker.
      "tested-marker",
    ];
    const expected = [
      ...inputsOf("actions/go-build/action.yml").map((name) =>
        name === "tags" ? "build-tags" : name === "junit-report" ? "go-junit-report" : name,
      ),
      ...inputsOf("actions/docker-package/action.yml"),
      ...inputsOf("actions/compose-test/action.yml"),
      "compose-service",
    ].filter((name) => !handOffs.includes(name));
    expect(new Set(root)).toEqual(new Set(expected));
  });
});
