import type { RunContext } from "../../runtime/run-context.js";
import type { PipelineOptions } from "../../stages/pipeline/stage.js";
import { readComposeTestOptions } from "../compose-test/inputs.js";
import { readPackageOptions } from "../docker-package/inputs.js";
import { readBuildOptions } from "../go-build/inputs.js";
import { type InputSource, readInput, runnerInputs, setInputSource, withFallback } from "../inputs.js";
import { loadActionProjectConfig } from "../project-config.js";

/**
 * The root action takes every stage's inputs under the same names, except
 * where two stages use one name for different things: go-build's `tags` (Go
 * build tags) and `junit-report` are `build-tags` and `go-junit-report` here,
 * since `tags` (image tags) and `junit-report` (the integration tests) belong
 * to the later stages.
 */
export const RENAMED_BUILD_INPUTS: Readonly<Record<string, string>> = {
  tags: "build-tags",
  "junit-report": "go-junit-report",
};

/** Read by no stage here: the root action hands nothing between jobs. */
const UNUSED_STAGE_INPUTS = new Set([
  "artifact-name",
  "save-artifact",
  "load-artifact",
  "defer-push",
  "shard",
]);

const stageInputs =
  (rename: Readonly<Record<string, string>> = {}): InputSource =>
  (name) =>
    UNUSED_STAGE_INPUTS.has(name) ? "" : runnerInputs(rename[name] ?? name);

/** INPUT_* (filled in from goflow.yml) → the options of all three stages, parsed by the stages' own readers. */
export function readPipelineOptions(
  context: RunContext,
  env: NodeJS.ProcessEnv = process.env,
): PipelineOptions {
  const config = loadActionProjectConfig(context);
  try {
    setInputSource(withFallback(stageInputs(RENAMED_BUILD_INPUTS), config.build));
    const build = readBuildOptions(context, env);
    setInputSource(withFallback(stageInputs(), config.package));
    const packageOptions = readPackageOptions(context, env);
    setInputSource(withFallback(stageInputs(), config.test));
    const test = readComposeTestOptions(context);
    const composeService = readInput("compose-service");
    return { build, package: packageOptions, test, composeService, publish: true };
  } finally {
    setInputSource(runnerInputs);
  }
}
