// Benchmark: what the go-build action costs on top of running Go in a container by hand, with warm
// caches. Compares (1) the action with format/vet/test off against one bare
// `docker run ... golang:1.24 go build` with the same mounts and environment, and (2) the full action
// against the bare sequence gofmt -l, go vet, go test -json, go build. The bare commands run as typed
// by hand (Docker's default bridge network) and again with the action's `--network host`: the first
// ratio is what a user saves or pays by switching, the second is the action's own cost (its node
// processes and checks). Each is the median of several runs, each on a fresh checkout of
// examples/go-auth. Not a test: no assertions; the target for (1) is a ratio <= 1.10.
// Run after `npm run build`: node bench/go-build-overhead.mjs [runs]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkout, runGoBuildAction, seconds } from "./go-build-cache.mjs";

const runs = Number(process.argv[2] ?? 5);
const scratch = mkdtempSync(join(tmpdir(), "goflow-bench-overhead-"));
const cacheDir = join(scratch, "cache");
const folders = { home: join(cacheDir, "home"), build: join(cacheDir, "build"), mod: join(cacheDir, "mod") };
const buildOnly = { "cache-dir": cacheDir, format: "off", vet: "false", test: "false" };

/** The container the action runs each Go command in (GoContainer.dockerArgs), typed out by hand. */
function bareGo(workspace, args, network) {
  const user = `${process.getuid()}:${process.getgid()}`;
  const mount = (path) => ["--mount", `type=bind,source=${path},target=${path}`];
  const result = spawnSync(
    "docker",
    [
      "run",
      "--rm",
      "--user",
      user,
      ...mount(workspace),
      ...mount(folders.home),
      ...mount(folders.build),
      ...mount(folders.mod),
      ...(network ? ["--network", network] : []),
      "--workdir",
      workspace,
      "--env",
      "GOFLAGS=-modcacherw",
      "--env",
      "CGO_ENABLED=0",
      "--env",
      `HOME=${folders.home}`,
      "--env",
      `GOCACHE=${folders.build}`,
      "--env",
      `GOMODCACHE=${folders.mod}`,
      "golang:1.24",
      ...args,
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`bare ${args.join(" ")} failed:\n${result.stderr}`);
}

const bareBuild = (network) => (workspace) =>
  bareGo(workspace, ["go", "build", "-trimpath", "-o", "go-auth", "."], network);
const bareFull = (network) => (workspace) => {
  bareGo(workspace, ["gofmt", "-l", "."], network);
  bareGo(workspace, ["go", "vet", "./..."], network);
  bareGo(workspace, ["go", "test", "-json", "./..."], network);
  bareBuild(network)(workspace);
};

function median(fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const workspace = checkout(scratch);
    const started = performance.now();
    const measured = fn(workspace);
    times.push(typeof measured === "number" ? measured : performance.now() - started);
    rmSync(workspace, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

try {
  for (const dir of Object.values(folders)) mkdirSync(dir, { recursive: true });
  // Fill the caches (both the action's runs and the bare ones use them), then measure.
  runGoBuildAction({ workspace: checkout(scratch), scratch, inputs: { "cache-dir": cacheDir } });
  bareFull()(checkout(scratch));

  const actionBuild = median((workspace) => runGoBuildAction({ workspace, scratch, inputs: buildOnly }).ms);
  const bareBuildMs = median(bareBuild());
  const bareBuildHostMs = median(bareBuild("host"));
  const actionFull = median(
    (workspace) => runGoBuildAction({ workspace, scratch, inputs: { "cache-dir": cacheDir } }).ms,
  );
  const bareFullMs = median(bareFull());
  const bareFullHostMs = median(bareFull("host"));

  const ratio = (a, b) => (a / b).toFixed(2);
  console.log(`go-build overhead on examples/go-auth, warm caches, median of ${runs} runs (main + post)`);
  console.log("                          bare (bridge)     bare --network host");
  console.log(
    `build only  action ${seconds(actionBuild)}   ${seconds(bareBuildMs)}  ratio ${ratio(actionBuild, bareBuildMs)}   ${seconds(bareBuildHostMs)}  ratio ${ratio(actionBuild, bareBuildHostMs)}`,
  );
  console.log(
    `full        action ${seconds(actionFull)}   ${seconds(bareFullMs)}  ratio ${ratio(actionFull, bareFullMs)}   ${seconds(bareFullHostMs)}  ratio ${ratio(actionFull, bareFullHostMs)}`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
