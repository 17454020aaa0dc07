// Benchmarks the compose-test stage through the built CLI (dist/cli/index.cjs; `npm run build` first):
//  (a) latency from the service accepting requests to the first test request,
//  (b) four spec files in four parallel environments against one after another,
//  (c) the whole stage on examples/go-auth against a classic `up -d; sleep; curl; down` script,
//  (d) the same on the MySQL-backed variant (docker-compose.mysql.yml, tests/mysql/users.yml): the stage
//      against `up -d`, `sleep 20`, two curls, `down` (target ratio stage/classic <= 0.25), with a
//      breakdown of the stage's time (start, up, readiness, setup, tests, teardown),
//  (e) the stage's peak memory (VmHWM of the CLI's node process) with 4 MySQL environments in parallel.
// Usage: node bench/compose-test.mjs [--runs N] [--sleep SECONDS] [--only a,b,c,d,e] [--shell-entrypoint]
//        --shell-entrypoint wraps goauth in `sh -c` as PID 1, which ignores SIGTERM: the service the
//        issue measured (a shell entrypoint), where a graceful `down` waits out the whole stop timeout.
//        (GOFLOW_CLI=<path> to use another build); time it only under flock /tmp/goflow-bench.lock.
import { execFileSync, spawn, spawnSync } from "node:child_process";
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
  options: {
    runs: { type: "string", default: "3" },
    sleep: { type: "string", default: "20" },
    only: { type: "string", default: "a,b,c,d,e" },
    "shell-entrypoint": { type: "boolean", default: false },
  },
});
const ONLY = new Set(values.only.split(","));
const RUNS = Number(values.runs);
const CLASSIC_SLEEP_SECONDS = Number(values.sleep);

const root = resolve(import.meta.dirname, "..");
const cli = process.env.GOFLOW_CLI ?? join(root, "dist/cli/index.cjs");
const example = join(root, "examples/go-auth");
const image = `goflow-bench-go-auth:${process.pid}`;
const scratch = mkdtempSync(join(tmpdir(), "goflow-bench-"));
/** Images removed at the end beside `image`. */
const builtImages = [];

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
function workspace(name, specs, composeFile = "docker-compose.yml") {
  const dir = join(scratch, name);
  mkdirSync(join(dir, "tests"), { recursive: true });
  copyFileSync(join(example, composeFile), join(dir, "docker-compose.yml"));
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

function measureLatency() {
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
}

function measureParallel() {
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
}

function measureExample() {
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
    `    goflow test (2 spec files, 14 tests, parallel): median ${seconds(median(stage))}; up -d + sleep ${CLASSIC_SLEEP_SECONDS} + 5 curls + down: median ${seconds(median(classic))}; ratio stage/classic ${(median(stage) / median(classic)).toFixed(2)}`,
  );
}

/**
 * Runs `goflow test` as a child and stamps each line of its output with the time it arrived, while
 * sampling the node process's VmHWM (its peak resident memory so far; monotonic, so the last sample
 * before exit is the peak). GOFLOW_DEBUG=1 adds the `docker compose up took` lines.
 */
function goflowTestTimed(dir, args) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, "test", dir, "--image", `goauth=${image}`, ...args], {
      env: { ...process.env, NO_COLOR: "1", GOFLOW_DEBUG: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines = [];
    let pending = "";
    let stderr = "";
    let peakKiB = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        peakKiB = Math.max(peakKiB, Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0));
      } catch {
        // Gone already.
      }
    };
    const sampler = setInterval(sample, 20);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      const now = performance.now() - started;
      const parts = (pending + chunk).split("\n");
      pending = parts.pop() ?? "";
      for (const text of parts) lines.push({ ms: now, text });
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", () => sample());
    child.on("close", (status) => {
      clearInterval(sampler);
      const ms = performance.now() - started;
      if (pending) lines.push({ ms, text: pending });
      if (status !== 0) {
        reject(
          new Error(
            `goflow test ${dir} failed (${status}):\n${lines.map((l) => l.text).join("\n")}\n${stderr}`,
          ),
        );
        return;
      }
      resolvePromise({ ms, lines, peakMiB: peakKiB / 1024 });
    });
  });
}

/** `1.2 s`, `312 ms`, `1 min 3 s` (formatDuration's output) in ms. */
const durationMs = (text) => {
  const minutes = /^(\d+) min (\d+) s$/.exec(text);
  if (minutes) return (Number(minutes[1]) * 60 + Number(minutes[2])) * 1000;
  const match = /^([\d.]+) (ms|s)$/.exec(text);
  return match ? Number(match[1]) * (match[2] === "s" ? 1000 : 1) : Number.NaN;
};

/**
 * Where one environment's time went, from the stamped output of a one-file run: start (the CLI, the
 * spec and compose checks), up (`docker compose up -d`), readiness (from up's end to ready), setup,
 * the tests (their own durations), teardown (logs, kill, down, folders) and the run's end.
 */
function breakdown(run) {
  const at = (pattern) => run.lines.find((line) => pattern.test(line.text));
  const starting = at(/\] starting environment /);
  const upTook = at(/\] docker compose up took /);
  const ready = at(/\] ready after /);
  const setupLines = run.lines.filter((line) => /\] setup: /.test(line.text));
  const report = at(/: \d+ passed, \d+ failed.* in [\d.]+ (?:ms|s)$/);
  if (!starting || !ready || !report) return undefined;
  const upMs = upTook ? durationMs(/up took (.+)$/.exec(upTook.text)[1]) : Number.NaN;
  const readyMs = durationMs(/ready after (.+)$/.exec(ready.text)[1]);
  const testsMs = run.lines
    .map((line) => /^\s+(?:Pass|Fail): .*\((\d+(?:\.\d+)? (?:ms|s))(?:, attempt \d+)?\)$/.exec(line.text))
    .filter(Boolean)
    .reduce((sum, match) => sum + durationMs(match[1]), 0);
  const setupEnd = setupLines.at(-1)?.ms ?? ready.ms;
  return {
    start: starting.ms,
    up: upMs,
    readiness: readyMs - upMs,
    setup: setupEnd - ready.ms,
    tests: testsMs,
    teardown: report.ms - setupEnd - testsMs,
    end: run.ms - report.ms,
  };
}

async function measureMysql() {
  // (d) The MySQL-backed variant: goauth opens its port only once MySQL answered and its tables exist.
  const dir = workspace(
    "mysql",
    { "users.yml": readFileSync(join(example, "tests/mysql/users.yml"), "utf8") },
    "docker-compose.mysql.yml",
  );
  const script = `set -eu
dir="$1"; shift
p="goflow-bench-classic-mysql-$$"
trap 'docker compose -p "$p" -f "$dir/docker-compose.yml" down --volumes --remove-orphans >/dev/null 2>&1' EXIT
GO_AUTH_IMAGE="${image}" docker compose -p "$p" -f "$dir/docker-compose.yml" up -d >/dev/null 2>&1
sleep ${CLASSIC_SLEEP_SECONDS}
u=http://127.0.0.1:9000
test "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d userid=alice -d password=pw $u/user)" = 200
test "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d userid=alice -d password=pw $u/user)" = 409
`;
  // The floor: the fastest hand-written script doing the same (up, 100 ms curl polling, the curls, kill
  // + down), printing a nanosecond stamp after each phase. Its readiness is the services' own start.
  const fastestScript = `set -eu
dir="$1"; shift
p="goflow-bench-fastest-mysql-$$"
c() { docker compose -p "$p" -f "$dir/docker-compose.yml" "$@"; }
trap 'c kill >/dev/null 2>&1 || true; c down -v --remove-orphans >/dev/null 2>&1' EXIT
date +%s%N
GO_AUTH_IMAGE="${image}" c up -d >/dev/null 2>&1
date +%s%N
u=http://127.0.0.1:9000
for _ in $(seq 600); do curl -s -o /dev/null --max-time 1 "$u/health" && break; sleep 0.1; done
date +%s%N
test "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d userid=alice -d password=pw $u/user)" = 200
test "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d userid=alice -d password=pw $u/user)" = 409
date +%s%N
c kill >/dev/null 2>&1; c down -v --remove-orphans >/dev/null 2>&1
trap - EXIT
date +%s%N
`;
  const stage = [];
  const classic = [];
  const fastest = [];
  const parts = [];
  const fastestParts = [];
  for (let run = 0; run < RUNS; run++) {
    const timed = await goflowTestTimed(dir, ["--parallel", "1"]);
    stage.push(timed.ms);
    parts.push(breakdown(timed));
    const started = performance.now();
    const result = spawnSync("bash", ["-c", script, "classic", dir], { encoding: "utf8" });
    if (result.status !== 0)
      throw new Error(`the classic script failed:\n${result.stdout}\n${result.stderr}`);
    classic.push(performance.now() - started);
    const fastStarted = performance.now();
    const fast = spawnSync("bash", ["-c", fastestScript, "fastest", dir], { encoding: "utf8" });
    if (fast.status !== 0) throw new Error(`the fastest script failed:\n${fast.stdout}\n${fast.stderr}`);
    fastest.push(performance.now() - fastStarted);
    const stamps = fast.stdout
      .trim()
      .split("\n")
      .map((line) => Number(BigInt(line) / 1000n) / 1000);
    fastestParts.push({
      up: stamps[1] - stamps[0],
      readiness: stamps[2] - stamps[1],
      curls: stamps[3] - stamps[2],
      teardown: stamps[4] - stamps[3],
    });
  }
  const ratio = median(stage) / median(classic);
  console.log("(d) the MySQL-backed variant, whole stage vs a classic script");
  console.log(
    `    goflow test (tests/mysql/users.yml: 1 setup step, 7 tests): median ${seconds(median(stage))} (all: ${stage.map(seconds).join(", ")})`,
  );
  console.log(
    `    up -d + sleep ${CLASSIC_SLEEP_SECONDS} + 2 curls + down: median ${seconds(median(classic))} (all: ${classic.map(seconds).join(", ")})`,
  );
  console.log(
    `    ratio stage/classic: ${ratio.toFixed(2)} (target <= 0.25; ${ratio <= 0.25 ? "met" : "missed"})`,
  );
  console.log(
    `    the fastest script (up -d, 100 ms curl polling of /health, 2 curls, kill + down -v): median ${seconds(median(fastest))}; stage/fastest ${(median(stage) / median(fastest)).toFixed(2)}`,
  );
  console.log(
    `    its phases (medians): ${["up", "readiness", "curls", "teardown"].map((key) => `${key} ${seconds(median(fastestParts.map((part) => part[key])))}`).join(", ")}`,
  );
  const known = parts.filter(Boolean);
  if (known.length > 0) {
    const keys = ["start", "up", "readiness", "setup", "tests", "teardown", "end"];
    console.log(
      `    where the stage's time goes (medians of ${known.length}): ${keys.map((key) => `${key} ${seconds(median(known.map((part) => part[key])))}`).join(", ")}`,
    );
    for (const [run, part] of known.entries()) {
      console.log(`      run ${run + 1}: ${keys.map((key) => `${key} ${seconds(part[key])}`).join(", ")}`);
    }
  }
}

async function measureMemory() {
  // (e) Four copies of the MySQL spec, four environments at once: the CLI's own peak memory.
  const spec = readFileSync(join(example, "tests/mysql/users.yml"), "utf8");
  const dir = workspace(
    "mysql-four",
    { "users-1.yml": spec, "users-2.yml": spec, "users-3.yml": spec, "users-4.yml": spec },
    "docker-compose.mysql.yml",
  );
  const peaks = [];
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const timed = await goflowTestTimed(dir, ["--parallel", "4"]);
    peaks.push(timed.peakMiB);
    times.push(timed.ms);
  }
  console.log("(e) peak memory, 4 MySQL environments in parallel");
  console.log(
    `    VmHWM of the goflow node process: median ${median(peaks).toFixed(1)} MiB, max ${Math.max(...peaks).toFixed(1)} MiB over ${RUNS} runs (goal < 150 MiB); wall time median ${seconds(median(times))}`,
  );
}

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
  if (values["shell-entrypoint"]) {
    // The shell stays PID 1 (the `exec` optimisation cannot apply with a second command), and PID 1
    // without a handler ignores SIGTERM, like the entrypoint scripts of many services. The plain image
    // keeps a tag of its own (BuildKit's FROM takes no image id), removed in the finally block.
    const plainImage = `${image}-plain`;
    docker("tag", image, plainImage);
    builtImages.push(plainImage);
    writeFileSync(
      join(build, "Dockerfile.shell"),
      `FROM ${plainImage}\nENTRYPOINT ["/bin/sh", "-c", "/usr/local/bin/go-auth; echo go-auth exited"]\n`,
    );
    docker(
      "build",
      "--quiet",
      "--label",
      "io.goflow.bench=compose-test",
      "-t",
      image,
      "-f",
      join(build, "Dockerfile.shell"),
      build,
    );
  }
  console.log(
    `cpus: ${spawnSync("nproc", { encoding: "utf8" }).stdout.trim()}, runs per measurement: ${RUNS}\n`,
  );

  if (ONLY.has("a")) measureLatency();
  if (ONLY.has("b")) measureParallel();
  if (ONLY.has("c")) measureExample();
  if (ONLY.has("d")) await measureMysql();
  if (ONLY.has("e")) await measureMemory();
} finally {
  spawnSync("docker", ["image", "rm", "-f", image, ...builtImages], { stdio: "ignore" });
  rmSync(scratch, { recursive: true, force: true });
}
