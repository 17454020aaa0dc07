import { parsePushMode } from "../../rules/gitflow/index.js";
import type { RunContext } from "../../runtime/run-context.js";
import {
  type PackageOptions,
  parseExplicitTags,
  parseKeyValueLines,
  parseSourceDateEpoch,
  resolvePackagePaths,
} from "../../stages/docker-package/options.js";
import { readGitflowSettings } from "../gitflow-inputs.js";
import { readBooleanInput, readInput, readListInput, readOptionalInput } from "../inputs.js";

/** INPUT_* (and the runner's SOURCE_DATE_EPOCH / GITHUB_API_URL) → the package stage's options. */
export function readPackageOptions(
  context: RunContext,
  env: NodeJS.ProcessEnv = process.env,
): PackageOptions {
  const paths = resolvePackagePaths(context.workspace, {
    workingDirectory: readInput("working-directory"),
    context: readInput("context"),
    dockerfile: readInput("dockerfile"),
  });
  return {
    image: readInput("image", { required: true }),
    ...paths,
    buildArgs: parseKeyValueLines(readInput("build-args"), "build-args"),
    target: readOptionalInput("target"),
    labels: Object.fromEntries(parseKeyValueLines(readInput("labels"), "labels")),
    platforms: readListInput("platforms"),
    gitflow: readGitflowSettings(),
    explicitTags: parseExplicitTags(readListInput("tags")),
    push: parsePushMode(readInput("push")),
    deferPush: readBooleanInput("defer-push", false),
    registry: readOptionalInput("registry"),
    username: readOptionalInput("username"),
    password: readOptionalInput("password"),
    artifactName: readOptionalInput("artifact-name"),
    saveArtifact: readOptionalInput("save-artifact"),
    loadArtifact: readOptionalInput("load-artifact"),
    githubToken: readOptionalInput("github-token"),
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    sourceDateEpoch: parseSourceDateEpoch(env.SOURCE_DATE_EPOCH),
  };
}
