import { join } from "node:path";
import type { GitflowSettings } from "../../rules/gitflow/index.js";
import type { RunContext } from "../../runtime/run-context.js";
import {
  type BuildOptions,
  FORMAT_MODES,
  parseBuildTags,
  parseNetwork,
  parsePlatforms,
  parseTestFlags,
  pickPassedVariables,
  resolveFrom,
} from "../../stages/go-build/options.js";
import {
  readBooleanInput,
  readChoiceInput,
  readInput,
  readIntegerInput,
  readListInput,
  readOptionalInput,
} from "../inputs.js";

/**
 * INPUT_* (and GOPRIVATE/GOPROXY/GOFLAGS/GONOSUMDB/GONOPROXY from the step's
 * environment) → the build stage's options. Paths: working-directory,
 * junit-report and cache-dir relative to the workspace; output relative to
 * working-directory, like `go build -o` run there.
 */
export function readBuildOptions(
  context: RunContext,
  env: NodeJS.ProcessEnv = process.env,
  gitflow: Partial<GitflowSettings> = {},
): BuildOptions {
  const workingDirectory = resolveFrom(context.workspace, readInput("working-directory") || ".");
  const junitReport = readOptionalInput("junit-report");
  const cacheDir = readOptionalInput("cache-dir");
  const output = readOptionalInput("output");
  return {
    workingDirectory,
    goVersion: readOptionalInput("go-version"),
    builderImage: readOptionalInput("builder-image"),
    format: readChoiceInput("format", FORMAT_MODES, "check"),
    vet: readBooleanInput("vet", true),
    test: readBooleanInput("test", true),
    testFlags: parseTestFlags(readInput("test-flags")),
    rerunFailed: readIntegerInput("rerun-failed", 0),
    packages: readListInput("packages"),
    output: output === undefined ? undefined : resolveFrom(workingDirectory, output),
    ldflags: readInput("ldflags"),
    tags: parseBuildTags(readListInput("tags")),
    cgo: readBooleanInput("cgo", false),
    platforms: parsePlatforms(readListInput("platforms")),
    versionVariable: readOptionalInput("version-variable"),
    version: readOptionalInput("version"),
    gitflow,
    junitReport: junitReport === undefined ? undefined : resolveFrom(context.workspace, junitReport),
    cache: readBooleanInput("cache", true),
    cacheDir:
      cacheDir === undefined ? join(context.tempDir, "goflow-go") : resolveFrom(context.workspace, cacheDir),
    artifactName: readOptionalInput("artifact-name"),
    privateModulesToken: readOptionalInput("private-modules-token"),
    privateModulesHost: readInput("private-modules-host") || "github.com",
    passedEnv: pickPassedVariables(env),
    network: parseNetwork(readInput("network")),
  };
}
