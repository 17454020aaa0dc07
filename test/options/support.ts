import { environmentInputs, flagInputs } from "../../src/options/input-source.js";
import type { Machine, OptionSources } from "../../src/options/option-sources.js";
import { emptyProjectConfig, type ProjectConfig } from "../../src/rules/config/project-config.js";

/** A machine holding exactly these files (and the folders above them), with 4 CPUs. */
export function machineWith(files: readonly string[]): Machine {
  const folders = new Set(
    files.flatMap((file) => file.split("/").map((_, i, parts) => parts.slice(0, i).join("/") || "/")),
  );
  return { isFile: (path) => files.includes(path), isDirectory: (path) => folders.has(path), cpus: 4 };
}

export const WORKSPACE = "/ws";

/**
 * The same input values through both front doors: an action's INPUT_* (as
 * the runner sets them, next to unrelated variables) and the CLI's flags.
 */
export function bothDoors(
  values: Record<string, string>,
  options: { config?: ProjectConfig; env?: Record<string, string>; machine?: Machine } = {},
): [string, OptionSources][] {
  const common = {
    config: options.config ?? emptyProjectConfig(),
    workspace: WORKSPACE,
    tempDir: "/tmp/runner",
    env: options.env ?? {},
    machine: options.machine ?? machineWith([`${WORKSPACE}/docker-compose.yml`]),
  };
  const env = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  );
  return [
    ["the action's INPUT_*", { ...common, door: environmentInputs({ ...options.env, ...env }) }],
    ["the CLI's flags", { ...common, door: flagInputs(values) }],
  ];
}
