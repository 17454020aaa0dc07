// Benchmarks compose-test's teardown of a service that ignores SIGTERM (busybox httpd as PID 1, as a
// shell entrypoint would): the default kill against `--stop-timeout 10`, the 10 s grace compose-test
// used to give. Runs `goflow test` through the built CLI (dist/cli/index.cjs; `npm run build` first) on
// test/fixtures/compose-projects/container-name, alternating the two, and prints the medians and the ratio.
// Usage: node bench/compose-test-teardown.mjs [--runs N]   (GOFLOW_CLI=<path> to use another build)
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Number(values.runs);
const root = resolve(import.meta.dirname, "..");
const cli = process.env.GOFLOW_CLI ?? join(root, "dist/cli/index.cjs");
const scratch = mkdtempSync(join(tmpdir(), "goflow-bench-teardown-"));
const project = join(scratch, "container-name");
cpSync(join(root, "test/fixtures/compose-projects/container-name"), project, { recursive: true });

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One whole `goflow test` run in ms; fails the bench if the tests did not pass. */
function goflowTest(extra) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [cli, "test", project, "--parallel", "2", ...extra], {
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  if (run.status !== 0)
    throw new Error(`goflow test ${extra.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
  return ms;
}

try {
  goflowTest([]); // warm-up: images and compose's own caches
  const killed = [];
  const graceful = [];
  for (let i = 0; i < RUNS; i++) {
    killed.push(goflowTest([]));
    graceful.push(goflowTest(["--stop-timeout", "10"]));
  }
  const k = median(killed);
  const g = median(graceful);
  console.log(`goflow test, kill at teardown (default):  median ${(k / 1000).toFixed(2)} s of ${RUNS}`);
  console.log(`goflow test, --stop-timeout 10 (before):  median ${(g / 1000).toFixed(2)} s of ${RUNS}`);
  console.log(
    `ratio default / before: ${(k / g).toFixed(2)} (teardown saved ≈ ${((g - k) / 1000).toFixed(1)} s per run)`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
