import { existsSync } from "node:fs";
import { nodeBinaryPath, pinnedNodeVersions } from "../../scripts/node-binaries.mjs";

/**
 * The Node binaries tests run code on: the exact versions package.json's
 * goflow.node pins, installed by `npm run setup:node`. Never the machine's
 * own node: an action runs on what its action.yml declares, as on GitHub.
 */
export function nodeBinary(major: string | number): string {
  const versions = pinnedNodeVersions();
  const version = versions[String(major)];
  if (!version)
    throw new Error(
      `package.json goflow.node pins no Node ${major} (it pins ${Object.keys(versions).join(", ")}): add it there`,
    );
  const path = nodeBinaryPath(version);
  if (!existsSync(path))
    throw new Error(
      `Node ${version} is not installed (looked for ${path}): run \`npm run setup:node\`, which installs the pinned Node lines from the npm registry`,
    );
  return path;
}

/** The binary for an action.yml's `runs.using` (node24 → Node 24); anything else is refused. */
export function nodeForRunsUsing(using: string | undefined): string {
  const major = /^node(\d+)$/.exec(using ?? "")?.[1];
  if (!major) throw new Error(`runs.using: ${using} is not a node runtime the runner knows`);
  return nodeBinary(major);
}

/** The Node the CLI's end-to-end tests run `goflow` on: GOFLOW_CLI_NODE (a major), else 24. */
export function cliNodeMajor(): string {
  return process.env.GOFLOW_CLI_NODE ?? "24";
}

export function cliNode(): string {
  return nodeBinary(cliNodeMajor());
}
