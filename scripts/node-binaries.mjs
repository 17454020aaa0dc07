// Where the pinned Node.js binaries live, shared by scripts/install-node.mjs,
// the test harness and the benchmarks: one answer to "which node runs this".
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** package.json's goflow.node: { "<major>": "<exact version>" }. */
export function pinnedNodeVersions() {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return pkg.goflow?.node ?? {};
}

/** GOFLOW_NODE_CACHE, else XDG_CACHE_HOME/goflow/node, else ~/.cache/goflow/node. */
export function nodeCacheDir() {
  if (process.env.GOFLOW_NODE_CACHE) return process.env.GOFLOW_NODE_CACHE;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(cache, "goflow", "node");
}

export function nodeBinaryPath(version) {
  return join(nodeCacheDir(), `node-v${version}-linux-x64`, "bin", "node");
}
