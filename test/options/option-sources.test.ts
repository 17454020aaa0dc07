import { describe, expect, it } from "vitest";
import type { StageAction } from "../../src/options/action-inputs.js";
import { recordInputs } from "../../src/options/input-source.js";
import { type OptionSources, stageInputs } from "../../src/options/option-sources.js";
import { emptyProjectConfig } from "../../src/rules/config/project-config.js";
import { machineWith } from "./support.js";

describe("stageInputs", () => {
  const config = emptyProjectConfig();
  config.build = { platforms: "linux/arm64" };
  config.package = { platforms: "linux/amd64" };
  config.test = { parallel: "3" };
  const sources: OptionSources = {
    door: recordInputs({ parallel: "1" }),
    config,
    workspace: "/ws",
    tempDir: "/tmp",
    env: {},
    machine: machineWith([]),
  };

  it.each<[StageAction, string, string | undefined]>([
    ["go-build", "platforms", "linux/arm64"],
    ["docker-package", "platforms", "linux/amd64"],
    ["compose-test", "platforms", undefined],
    ["compose-test", "parallel", "1"],
    ["go-build", "go-version", undefined],
    ["go-build", "private-modules-host", "github.com"],
    ["docker-package", "push", "auto"],
    ["compose-test", "external-networks", "warn"],
  ])("gives %s's %s from its own section and defaults: %j", (action, name, expected) => {
    expect(stageInputs(sources, action)(name)).toBe(expected);
  });

  it("reads another door when given one (the root action's renamed inputs)", () => {
    expect(stageInputs(sources, "compose-test", recordInputs({}))("parallel")).toBe("3");
  });
});
