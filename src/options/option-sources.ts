import type { ProjectConfig } from "../rules/config/project-config.js";
import { projectConfigSections, type StageAction } from "./action-inputs.js";
import { defaultInputs, type InputSource, layerInputs, recordInputs } from "./input-source.js";

/** What reading options asks of the machine, answered by the front door (src/runtime/machine.ts). */
export interface Machine {
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /** compose-test runs one spec file per CPU unless `parallel` says otherwise. */
  cpus: number;
}

/**
 * Everything a stage's options are read from, handed in by the front door so
 * reading stays pure: the door's values, the service's goflow.yml, and the
 * few facts of the machine that options depend on.
 */
export interface OptionSources {
  /** The step's `with:` (INPUT_*) or the command's flags. */
  door: InputSource;
  /** The goflow.yml in the working directory. */
  config: ProjectConfig;
  /** Relative paths (working-directory, junit-report, …) start here: the workspace, or where the command ran. */
  workspace: string;
  /** The runner's temp folder: go-build's Go caches go under it unless cache-dir says otherwise. */
  tempDir: string;
  /** The step's environment: GOPROXY and friends, SOURCE_DATE_EPOCH, GITHUB_API_URL. */
  env: Readonly<Record<string, string | undefined>>;
  machine: Machine;
}

/** A stage action's inputs: the door, then its goflow.yml section, then its action.yml defaults. */
export function stageInputs(
  sources: OptionSources,
  action: StageAction,
  door: InputSource = sources.door,
): InputSource {
  return layerInputs(
    door,
    recordInputs(sources.config[projectConfigSections[action]]),
    defaultInputs(action),
  );
}
