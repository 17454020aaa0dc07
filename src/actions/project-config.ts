import { resolve } from "node:path";
import type { ProjectConfigSection } from "../rules/config/project-config.js";
import { loadProjectConfig } from "../runtime/project-config.js";
import type { RunContext } from "../runtime/run-context.js";
import { type InputSource, runnerInputs, withFallback } from "./inputs.js";

/**
 * The inputs of one stage as an action sees them: what the workflow's `with:`
 * says, filled in from the `section` of goflow.yml in the working directory.
 * `base` lets the root action rename the inputs whose names two stages share.
 */
export function projectInputSource(
  section: ProjectConfigSection,
  context: RunContext,
  base: InputSource = runnerInputs,
): InputSource {
  const dir = resolve(context.workspace, base("working-directory").trim() || ".");
  return withFallback(base, loadProjectConfig(dir, context.workspace)[section]);
}
