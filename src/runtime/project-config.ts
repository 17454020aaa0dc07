import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { projectConfigSchema } from "../options/action-inputs.js";
import {
  emptyProjectConfig,
  PROJECT_CONFIG_FILE,
  type ProjectConfig,
  parseProjectConfig,
} from "../rules/config/project-config.js";

/** Reads `<dir>/goflow.yml` when there is one; locations in errors are relative to `base`. */
export function loadProjectConfig(dir: string, base: string = dir): ProjectConfig {
  const path = join(dir, PROJECT_CONFIG_FILE);
  if (!existsSync(path)) return emptyProjectConfig();
  return parseProjectConfig(
    readFileSync(path, "utf8"),
    relative(base, path) || PROJECT_CONFIG_FILE,
    projectConfigSchema,
  );
}
