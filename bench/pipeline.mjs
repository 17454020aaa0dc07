// Benchmark: warm `goflow run examples/go-auth` (build, package, test; dist/cli/index.cjs, `npm run build`
// first) against the fastest hand-written script doing the same work in the same run:
//   1. one build container (golang:1.24, the same Go caches): gofmt -l, go vet, go test, go build
//      stamped with the version, in one `sh -c`;
//   2. `docker build` of the example's Dockerfile, tagged as goflow tags it (develop, sha-<short>);
//   3. per spec file, at once (goflow runs them in parallel, one environment each): `docker compose up -d`
//      of the example's compose file with the port published on a free host port, curl polling every
//      100 ms until /health answers, the spec's setup and the same requests (curl, status checked,
//      the token captured and sent back), then `docker compose kill` and `down -v`.
// Both use one git checkout on `develop` (the same path, so both are warm in the same way). Pairs run
// interleaved (the order flips every pair) after one warm-up each; prints the medians and the ratio.
// Target <= 1.3. Not a test: no assertions. Run alone on the machine:
//   flock /tmp/goflow-bench.lock node bench/pipeline.mjs [--pairs N]   (GOFLOW_CLI=<path> for another build)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { pairs: { type: "string", default: "3" } } });
const PAIRS = Number(values.pairs);
const root = resolve(import.meta.dirname, "..");
const cli = process.env.GOFLOW_CLI ?? join(root, "dist/cli/index.cjs");
const scratch = mkdtempSync(join(tmpdir(), "goflow-bench-pipeline-"));
const image = `goflow-bench/go-auth-pipeline-${process.pid}`;
const xdgCache = join(scratch, "xdg-cache");
// The CLI's Go caches (XDG_CACHE_HOME/goflow/go); the script mounts the same folders.
const goCache = join(xdgCache, "goflow", "go");
const folders = { home: join(goCache, "home"), build: join(goCache, "build"), mod: join(goCache, "mod") };

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs a program to its end (async, so environments can run side by side); throws on a non-zero exit. */
function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 || options.allowFailure) resolvePromise({ code, stdout, stderr });
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

// ── the checkout ─────────────────────────────────────────────────────────────
const dir = join(scratch, "go-auth");
cpSync(join(root, "examples/go-auth"), dir, { recursive: true });
const git = (...args) =>
  execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
  }).trim();
git("init", "-q", "-b", "develop");
git("add", ".");
git("commit", "-qm", "bench");
const sha = git("rev-parse", "HEAD");
for (const folder of Object.values(folders)) mkdirSync(folder, { recursive: true });
mkdirSync(join(scratch, "tmp"));
// The script's compose file: the example's, with goauth published on a free host port (two at once).
const scriptCompose = join(scratch, "script-compose.yml");
writeFileSync(
  scriptCompose,
  readFileSync(join(dir, "docker-compose.yml"), "utf8").replace('"9000:9000"', '"127.0.0.1::9000"'),
);

// ── goflow run ───────────────────────────────────────────────────────────────
function goflowRun() {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, "run", dir, "--image", image], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: xdgCache, TMPDIR: join(scratch, "tmp"), NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`goflow run failed:\n${result.stdout}\n${result.stderr}`);
  const stages = Object.fromEntries(
    [...result.stdout.matchAll(/^(build|package|test)\s+✓ passed\s+(?:(\d+) min )?([\d.]+) (ms|s)\b/gm)].map(
      (m) => [m[1], Number(m[2] ?? 0) * 60_000 + Number(m[3]) * (m[4] === "s" ? 1000 : 1)],
    ),
  );
  return { ms, stages };
}

// ── the hand-written script ──────────────────────────────────────────────────
async function buildInContainer() {
  const mount = (path) => ["--mount", `type=bind,source=${path},target=${path}`];
  await run("docker", [
    "run",
    "--rm",
    "--user",
    `${process.getuid()}:${process.getgid()}`,
    ...mount(dir),
    ...Object.values(folders).flatMap(mount),
    "--network",
    "host",
    "--workdir",
    dir,
    ...["GOFLAGS=-modcacherw", "CGO_ENABLED=0", `HOME=${folders.home}`, `GOCACHE=${folders.build}`]
      .concat(`GOMODCACHE=${folders.mod}`)
      .flatMap((env) => ["--env", env]),
    "golang:1.24",
    "sh",
    "-c",
    'test -z "$(gofmt -l .)" && go vet ./... && go test ./... && go build -trimpath -ldflags "-X main.version=develop" -o go-auth .',
  ]);
}

/** One spec file's environment: up, 100 ms polling, its requests, kill, down. */
async function environment(name, requests) {
  const project = `bench-${process.pid}-${name}`;
  const compose = (...args) =>
    run("docker", ["compose", "-p", project, "-f", scriptCompose, "--project-directory", dir, ...args], {
      env: { ...process.env, GO_AUTH_IMAGE: `${image}:develop` },
    });
  try {
    await compose("up", "-d", "--no-build", "--quiet-pull");
    const port = (await compose("port", "goauth", "9000")).stdout.trim().split(":").pop();
    const base = `http://127.0.0.1:${port}`;
    for (;;) {
      const probe = await run("curl", ["-fsS", "-o", "/dev/null", `${base}/health`], { allowFailure: true });
      if (probe.code === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await requests({ compose, base });
  } finally {
    await compose("kill").catch(() => undefined);
    await compose("down", "-v", "--remove-orphans");
  }
}

/** curl (`@/path` is the environment's URL) with the status on the last line; checks it. */
async function request(base, expected, args) {
  const result = await run("curl", [
    "-sS",
    "-w",
    "\n%{http_code}",
    ...args.map((a) => (a.startsWith("@/") ? base + a.slice(1) : a)),
  ]);
  const lines = result.stdout.split("\n");
  const status = Number(lines.pop());
  if (status !== expected) throw new Error(`curl ${args.join(" ")}: ${status}, want ${expected}`);
  return lines.join("\n");
}

const usersSpec = async ({ compose, base }) => {
  await compose("exec", "-T", "redis", "redis-cli", "SET", "user:legacy", "not-a-salt-and-hash");
  const pw = "password=correct horse battery staple";
  await request(base, 200, ["-X", "PUT", "@/user", "-d", "userid=alice", "--data-urlencode", pw]);
  await request(base, 409, [
    "-X",
    "PUT",
    "@/user",
    "-d",
    "userid=alice",
    "--data-urlencode",
    "password=another password",
  ]);
  await request(base, 400, ["-X", "PUT", "@/user", "-d", "userid=bob"]);
  await request(base, 401, ["-X", "DELETE", "@/user", "-d", "userid=alice", "-d", "password=wrong"]);
  await request(base, 200, ["-X", "DELETE", "@/user", "-d", "userid=alice", "--data-urlencode", pw]);
  await request(base, 404, ["-X", "DELETE", "@/user", "-d", "userid=alice", "--data-urlencode", pw]);
  await request(base, 409, ["-X", "PUT", "@/user", "-d", "userid=legacy", "-d", "password=anything"]);
};

const tokensSpec = async ({ base }) => {
  await request(base, 200, ["-X", "PUT", "@/user", "-d", "userid=carol", "-d", "password=s3cret"]);
  const token = (
    await request(base, 200, ["-G", "@/token", "-d", "userid=carol", "-d", "password=s3cret"])
  ).trim();
  await request(base, 200, ["-X", "POST", "@/token/carol", "--data-raw", token]);
  await request(base, 401, ["-X", "POST", "@/token/carol", "--data-raw", "0123456789abcdef0123456789abcdef"]);
  await request(base, 401, ["-X", "POST", "@/token/mallory", "--data-raw", token]);
  await request(base, 400, ["-G", "@/token", "-d", "userid=carol", "-d", "password=wrong"]);
  await request(base, 404, ["-G", "@/token", "-d", "userid=nobody", "-d", "password=whatever"]);
};

async function script() {
  const started = performance.now();
  await buildInContainer();
  const built = performance.now();
  await run("docker", [
    "build",
    "-q",
    "-t",
    `${image}:develop`,
    "-t",
    `${image}:sha-${sha.slice(0, 7)}`,
    dir,
  ]);
  const packaged = performance.now();
  await Promise.all([environment("users", usersSpec), environment("tokens", tokensSpec)]);
  const ended = performance.now();
  return {
    ms: ended - started,
    stages: { build: built - started, package: packaged - built, test: ended - packaged },
  };
}

// ── the pairs ────────────────────────────────────────────────────────────────
try {
  goflowRun(); // warm-up: the Go caches, the image layers, compose's own
  await script();
  const goflow = [];
  const hand = [];
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      goflow.push(goflowRun());
      hand.push(await script());
    } else {
      hand.push(await script());
      goflow.push(goflowRun());
    }
  }
  const g = median(goflow.map((r) => r.ms));
  const h = median(hand.map((r) => r.ms));
  console.log(`warm goflow run examples/go-auth against the hand-written script, ${PAIRS} interleaved pairs`);
  console.log(`  goflow run   median ${seconds(g)}   [${goflow.map((r) => seconds(r.ms)).join(", ")}]`);
  console.log(`  script       median ${seconds(h)}   [${hand.map((r) => seconds(r.ms)).join(", ")}]`);
  console.log(`  ratio goflow / script   ${(g / h).toFixed(2)}   (target <= 1.3)`);
  console.log("  stage     goflow   script");
  for (const stage of ["build", "package", "test"]) {
    const a = median(goflow.map((r) => r.stages[stage] ?? 0));
    const b = median(hand.map((r) => r.stages[stage]));
    console.log(`  ${stage.padEnd(8)} ${seconds(a).padStart(8)} ${seconds(b).padStart(8)}`);
  }
} finally {
  spawnSync("docker", ["image", "rm", "--force", `${image}:develop`, `${image}:sha-${sha.slice(0, 7)}`]);
  rmSync(scratch, { recursive: true, force: true });
}
