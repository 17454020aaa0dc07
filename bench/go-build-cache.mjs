// Benchmark: the go-build action on examples/go-auth with empty Go caches, then again with the caches
// the first run left in its cache-dir (a fresh checkout each time). Prints both wall times and their
// ratio. Not a test: no assertions. Run after `npm run build`: node bench/go-build-cache.mjs
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import { nodeBinaryPath, pinnedNodeVersions } from "../scripts/node-binaries.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const actionDir = join(root, "actions/go-build");

/** A fresh checkout of examples/go-auth (no binary left from an earlier run). */
export function checkout(scratch, source = join(root, "examples/go-auth")) {
  const workspace = mkdtempSync(join(scratch, "ws-"));
  cpSync(source, workspace, { recursive: true });
  return workspace;
}

/**
 * Runs the action's main step, then its post step with the saved state, as the
 * runner would (the same environment variables and files, inputs from action.yml's
 * defaults); returns the wall time of both together in ms.
 */
export function runGoBuildAction({ workspace, scratch, inputs }) {
  const action = parseYaml(readFileSync(join(actionDir, "action.yml"), "utf8"));
  const files = mkdtempSync(join(scratch, "runner-"));
  const temp = join(files, "temp");
  mkdirSync(temp);
  const file = (name) => {
    writeFileSync(join(files, name), "");
    return join(files, name);
  };
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? files,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: file("output"),
    GITHUB_STATE: file("state"),
    GITHUB_ENV: file("env"),
    GITHUB_PATH: file("path"),
    GITHUB_STEP_SUMMARY: file("summary"),
    GITHUB_EVENT_NAME: "push",
    GITHUB_EVENT_PATH: join(root, "test/fixtures/events/push-develop.json"),
    GITHUB_REF: "refs/heads/develop",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_REPOSITORY: "acme/go-auth",
    GITHUB_RUN_ID: "1",
    GITHUB_RUN_NUMBER: "1",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
  };
  for (const [name, spec] of Object.entries(action.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = String(inputs[name] ?? spec.default ?? "");
  }
  // The Node the action.yml declares (node24), as the runner runs it: `npm run setup:node` installs it.
  const node = nodeBinaryPath(pinnedNodeVersions()[action.runs.using.replace(/^node/, "")]);
  const started = performance.now();
  const step = (script, stepEnv) => {
    const result = spawnSync(node, [join(actionDir, script)], {
      cwd: workspace,
      env: stepEnv,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`${script} failed:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  const mainLog = step(action.runs.main, env);
  const postEnv = { ...env };
  for (const [key, value] of Object.entries(readKeyValueFile(env.GITHUB_STATE)))
    postEnv[`STATE_${key}`] = value;
  step(action.runs.post, postEnv);
  const elapsed = performance.now() - started;
  return {
    ms: elapsed,
    outputs: readKeyValueFile(env.GITHUB_OUTPUT),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY, "utf8"),
    log: mainLog,
  };
}

/** The runner's file-command format: `name<<DELIMITER` heredocs (what @actions/core writes). */
function readKeyValueFile(path) {
  const values = {};
  const lines = readFileSync(path, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (!heredoc) continue;
    const body = [];
    for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
    values[heredoc[1]] = body.join("\n");
  }
  return values;
}

export const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function main() {
  const scratch = mkdtempSync(join(tmpdir(), "goflow-bench-cache-"));
  const cacheDir = join(scratch, "cache");
  try {
    const cold = runGoBuildAction({
      workspace: checkout(scratch),
      scratch,
      inputs: { "cache-dir": cacheDir },
    });
    const warm = runGoBuildAction({
      workspace: checkout(scratch),
      scratch,
      inputs: { "cache-dir": cacheDir },
    });
    console.log("go-build on examples/go-auth (dependencies, format, vet, test, build; main + post)");
    console.log(`cold caches   ${seconds(cold.ms)}  cache-hit=${cold.outputs["cache-hit"]}`);
    console.log(`warm caches   ${seconds(warm.ms)}  cache-hit=${warm.outputs["cache-hit"]}`);
    console.log(`cold / warm   ${(cold.ms / warm.ms).toFixed(1)}x`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
