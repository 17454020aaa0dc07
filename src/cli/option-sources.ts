import { resolve } from "node:path";
import { type FlagValues, flagInputs } from "../options/input-source.js";
import type { OptionSources } from "../options/option-sources.js";
import { localMachine } from "../runtime/machine.js";
import { loadProjectConfig } from "../runtime/project-config.js";

/**
 * What a command's options are read from: its flags (keyed by input name),
 * then the service folder's goflow.yml (locations relative to where the
 * command was run), then the actions' defaults, so a laptop and CI agree on
 * every value.
 */
export function readCliOptionSources(
  dir: string,
  flags: FlagValues,
  where: { workspace: string; tempDir: string },
): OptionSources {
  return {
    door: flagInputs(flags),
    config: loadProjectConfig(resolve(dir), process.cwd()),
    workspace: where.workspace,
    tempDir: where.tempDir,
    env: process.env,
    machine: localMachine,
  };
}
