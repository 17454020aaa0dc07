import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  actionInputDefaults,
  gitflowInputs,
  pipelineInputRenames,
  projectConfigSchema,
} from "../../src/options/action-inputs.js";

/**
 * goflow.yml keys are action input names, and they only take effect when the
 * runner does not fill the input in first: an action.yml `default:` would
 * hide the file's value. Both are checked here against the real action.yml.
 */
const actions = {
  build: "actions/go-build/action.yml",
  package: "actions/docker-package/action.yml",
  test: "actions/compose-test/action.yml",
} as const;

/** Keys of a section that are not that action's inputs, and who reads them instead. */
const PIPELINE_ONLY = new Set(["compose-service"]);

describe.each(Object.entries(actions))("goflow.yml section %s", (section, file) => {
  const inputs = (parseYaml(readFileSync(file, "utf8")) as { inputs: Record<string, { default?: unknown }> })
    .inputs;
  const keys = projectConfigSchema[section as keyof typeof actions].filter((key) => !PIPELINE_ONLY.has(key));

  it(`takes only inputs of ${file}`, () => {
    expect(keys.filter((key) => !(key in inputs))).toEqual([]);
  });

  it(`is not hidden by runner defaults in ${file}`, () => {
    expect(keys.filter((key) => inputs[key]?.default !== undefined)).toEqual([]);
  });
});

describe("the root action", () => {
  const root = parseYaml(readFileSync("action.yml", "utf8")) as {
    inputs: Record<string, { default?: unknown }>;
  };
  it("takes compose-service, and no goflow.yml key is hidden by a runner default", () => {
    expect(root.inputs["compose-service"]).toBeDefined();
    const keys = Object.values(projectConfigSchema).flat();
    const renamed: Record<string, string> = pipelineInputRenames["go-build"];
    expect(keys.filter((key) => root.inputs[renamed[key] ?? key]?.default !== undefined)).toEqual([]);
  });
});

describe("the generated input tables", () => {
  const inputsOf = (file: string) =>
    (parseYaml(readFileSync(file, "utf8")) as { inputs: Record<string, { default?: unknown }> }).inputs;

  it("take go-build's git-flow inputs from docker-package, where each is declared too", () => {
    const goBuild = inputsOf(actions.build);
    const dockerPackage = inputsOf(actions.package);
    expect(gitflowInputs.filter((name) => !(name in goBuild) || !(name in dockerPackage))).toEqual([]);
  });

  it("hold each action's literal defaults", () => {
    for (const [action, section] of [
      ["go-build", "build"],
      ["docker-package", "package"],
      ["compose-test", "test"],
    ] as const) {
      const literal = Object.entries(inputsOf(actions[section]))
        .filter(([, spec]) => spec.default !== undefined && !String(spec.default).includes("${{"))
        .map(([name, spec]) => [name, String(spec.default)]);
      expect(Object.entries(actionInputDefaults[action])).toEqual(literal);
    }
  });
});
