import { resolve } from "node:path";
import type { ProjectConfig } from "../rules/config/project-config.js";
import { loadProjectConfig } from "../runtime/project-config.js";
import type { RunContext } from "../runtime/run-context.js";
import { runnerInputs } from "./inputs.js";

/**
 * The goflow.yml in the step's working-directory, read once per step. A
 * stage reads its inputs as `withFallback(runnerInputs, config.<section>)`:
 * what the workflow's `with:` says, filled in from goflow.yml.
 */
export function loadActionProjectConfig(context: RunContext): ProjectConfig {
  const dir = resolve(context.workspace, runnerInputs("working-directory").trim() || ".");
  return loadProjectConfig(dir, context.workspace);
}
