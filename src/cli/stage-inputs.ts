import { resolve } from "node:path";
import { actionInputDefaults, type StageAction } from "../actions/input-defaults.js";
import { readFrom } from "../actions/inputs.js";
import type { ProjectConfig, ProjectConfigSection } from "../rules/config/project-config.js";
import { loadProjectConfig } from "../runtime/project-config.js";

const SECTIONS: Record<StageAction, ProjectConfigSection> = {
  "go-build": "build",
  "docker-package": "package",
  "compose-test": "test",
};

/** The service folder's goflow.yml, with locations relative to where the command was run. */
export function loadCliProjectConfig(dir: string): ProjectConfig {
  return loadProjectConfig(resolve(dir), process.cwd());
}

/**
 * Reads a stage's options with its action's own input parser, so a laptop and
 * CI agree on every value and default: the command's flags (keyed by input
 * name) first, then goflow.yml, then the defaults the runner would take from
 * the action.yml.
 */
export function readStageOptions<T>(
  stage: StageAction,
  config: ProjectConfig,
  flags: Readonly<Record<string, string | undefined>>,
  read: () => T,
): T {
  const section = config[SECTIONS[stage]];
  const defaults: Readonly<Record<string, string>> = actionInputDefaults[stage];
  return readFrom((name) => flags[name]?.trim() || section[name] || defaults[name] || "", read);
}
