// Benchmarks the compose-test stage through the built CLI (dist/cli/index.cjs; `npm run build` first):
//  (a) latency from the service accepting requests to the first test request,
//  (b) four spec files in four parallel environments against one after another,
//  (c) the whole stage on examples/go-auth against a classic `up -d; sleep; curl; down` script.
// Usage: node bench/compose-test.mjs [--runs N] [--sleep SECONDS]   (GOFLOW_CLI=<path> to use another build)
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, sleep: { type: "string", default: "20" } },
});
const RUNS = Number(values.runs);
const CLASSIC_SLEEP_SECONDS = Number(values.sleep);

const root = resolve(import.meta.dirname, "..");
const cli = process.env.GOFLOW_CLI ?? join(root, "dist/cli/index.cjs");
const example = join(root, "examples/go-auth");
const image = `goflow-bench-go-auth:${process.pid}`;
const scratch = mkdtempSync(join(tmpdir(), "goflow-bench-"));

const docker = (...args) =>
  execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
/** Go's time.Duration text (`19.49ms`, `303.1µs`, `1.2s`) in milliseconds; 0 when absent. */
const goDurationMs = (text) => {
  const match = /^([\d.]+)(ns|µs|us|ms|s)$/.exec(text ?? "");
  if (!match) return 0;
  return Number(match[1]) * { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000 }[match[2]];
};
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/** A folder with the example's compose file and the given spec files (name → text) in tests/. */
function workspace(name, specs) {
  const dir = join(scratch, name);
  mkdirSync(join(dir, "tests"), { recursive: true });
  copyFileSync(join(example, "docker-compose.yml"), join(dir, "docker-compose.yml"));
  for (const [file, text] of Object.entries(specs)) writeFileSync(join(dir, "tests", file), text);
  return dir;
}

/** Runs `goflow test` and returns its wall time; throws when it fails unless `allowFailure`. */
function goflowTest(dir, args = [], allowFailure = false) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, "test", dir, "--image", `goauth=${image}`, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = performance.now() - started;
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`goflow test ${dir} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}

const exampleSpec = (name) => readFileSync(join(example, "tests", name), "utf8");

try {
  console.log("building the example's binary and image ...");
  const build = join(scratch, "build");
  cpSync(example, build, { recursive: true });
  docker(
    "run",
    "--rm",
    "--network",
    "none",
    "-e",
    "HOME=/tmp",
    "-e",
    "GOCACHE=/tmp/go-build",
    "-e",
    "CGO_ENABLED=0",
    "-v",
    `${build}:/src`,
    "-w",
    "/src",
    "golang:1.24",
    "go",
    "build",
    "-trimpath",
    "-o",
    "go-auth",
    ".",
  );
  docker("build", "--quiet", "--label", "io.goflow.bench=compose-test", "-t", image, build);
  console.log(
    `cpus: ${spawnSync("nproc", { encoding: "utf8" }).stdout.trim()}, runs per measurement: ${RUNS}\n`,
  );

  // (a) The service logs `msg=listening` once it accepts connections (Redis is already healthy then:
  // compose starts goauth after Redis's healthcheck passes) and one line per request; a last test that
  // fails on purpose (continue-on-error) makes the stage save those logs. Both times come from the
  // container's clock, so no clock of this process is compared with the service's.
  // tokens.yml has no setup step, which would run (as the spec asks) between readiness and the first test.
  const latencySpec = `${exampleSpec("tokens.yml")}
  - name: fails on purpose so that the logs are saved
    request: GET /health
    expect:
      status: 418
    continue-on-error: true
`;
  const latencies = [];
  const probes = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = workspace(`latency-${run}`, { "tokens.yml": latencySpec });
    const logs = join(dir, "logs");
    goflowTest(dir, ["--logs-dir", logs]);
    const log = readFileSync(join(logs, readdirSync(logs)[0]), "utf8");
    // A request line is written when the request ends: its start is the time minus its duration.
    const start = (line) =>
      Date.parse(/ time=(\S+)/.exec(line)[1]) - goDurationMs(/duration=(\S+)/.exec(line)?.[1]);
    const lines = log.split("\n").filter((line) => line.startsWith("goauth"));
    const listening = start(lines.find((line) => line.includes("msg=listening")));
    const firstHealth = start(lines.find((line) => line.includes("path=/health")));
    const firstTest = start(lines.find((line) => /msg=request .*path=(?!\/health)/.test(line)));
    latencies.push(Math.round(firstTest - listening));
    probes.push(Math.round(firstHealth - listening));
  }
  console.log("(a) service accepting requests → first test request");
  console.log(
    `    median ${median(latencies)} ms over ${RUNS} runs (all: ${latencies.join(", ")} ms; target < 250 ms); of that, listening → first readiness probe: median ${median(probes)} ms`,
  );

  // (b) Four spec files (two copies of each example spec), each in its own environment.
  const four = workspace("four", {
    "users-1.yml": exampleSpec("users.yml"),
    "users-2.yml": exampleSpec("users.yml"),
    "tokens-1.yml": exampleSpec("tokens.yml"),
    "tokens-2.yml": exampleSpec("tokens.yml"),
  });
  const parallel = [];
  const serial = [];
  for (let run = 0; run < RUNS; run++) {
    parallel.push(goflowTest(four, ["--parallel", "4"]).ms);
    serial.push(goflowTest(four, ["--parallel", "1"]).ms);
  }
  console.log("(b) four spec files, four environments");
  console.log(
    `    parallel 4: median ${seconds(median(parallel))}; one after another: median ${seconds(median(serial))}; ratio ${(median(serial) / median(parallel)).toFixed(2)}x`,
  );

  // (c) The whole stage on the example against the script it replaces.
  const stage = [];
  const classic = [];
  const exampleWorkspace = workspace("example", {
    "users.yml": exampleSpec("users.yml"),
    "tokens.yml": exampleSpec("tokens.yml"),
  });
  const script = `set -eu
dir="$1"; shift
trap 'docker compose -p "goflow-bench-classic-$$" down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1' EXIT
GO_AUTH_IMAGE="${image}" docker compose -p "goflow-bench-classic-$$" -f "$dir/docker-compose.yml" up -d >/dev/null 2>&1
sleep ${CLASSIC_SLEEP_SECONDS}
u=http://127.0.0.1:9000
test "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d userid=alice -d password=pw $u/user)" = 200
test "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d userid=alice -d password=pw $u/user)" = 409
token=$(curl -sf "$u/token?userid=alice&password=pw")
test "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-raw "$token" $u/token/alice)" = 200
test "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -d userid=alice -d password=pw $u/user)" = 200
`;
  for (let run = 0; run < RUNS; run++) {
    stage.push(goflowTest(exampleWorkspace).ms);
    const started = performance.now();
    const result = spawnSync("bash", ["-c", script, "classic", exampleWorkspace], { encoding: "utf8" });
    if (result.status !== 0)
      throw new Error(`the classic script failed:\n${result.stdout}\n${result.stderr}`);
    classic.push(performance.now() - started);
  }
  console.log("(c) the example, whole stage vs a classic script");
  console.log(
    `    goflow test (2 spec files, 14 tests, parallel): median ${seconds(median(stage))}; up -d + sleep ${CLASSIC_SLEEP_SECONDS} + 5 curls + down: median ${seconds(median(classic))}; ratio ${(median(classic) / median(stage)).toFixed(2)}x`,
  );
} finally {
  spawnSync("docker", ["image", "rm", "-f", image], { stdio: "ignore" });
  rmSync(scratch, { recursive: true, force: true });
}
