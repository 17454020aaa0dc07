import { resolve } from "node:path";
import { environmentInputs } from "../options/input-source.js";
import type { OptionSources } from "../options/option-sources.js";
import { localMachine } from "../runtime/machine.js";
import { loadProjectConfig } from "../runtime/project-config.js";
import type { RunContext } from "../runtime/run-context.js";

/**
 * What an action's options are read from: the step's INPUT_* (its `with:`,
 * the runner's defaults filled in), then the goflow.yml in its
 * working-directory, read once per step.
 */
export function readActionOptionSources(
  context: RunContext,
  env: NodeJS.ProcessEnv = process.env,
): OptionSources {
  const door = environmentInputs(env);
  const dir = resolve(context.workspace, door("working-directory") || ".");
  return {
    door,
    config: loadProjectConfig(dir, context.workspace),
    workspace: context.workspace,
    tempDir: context.tempDir,
    env,
    machine: localMachine,
  };
}
