// Benchmark: what the go-build action costs on top of the bare one-container command, with warm caches.
// The action (main + post, format/vet/test/build) against
//   docker run --rm ... golang:1.24 sh -c 'gofmt -l .; go vet ./...; go test -json ./...; go build ...'
// with the same mounts, user, environment, network (host, the action's default) and Go caches, on
// examples/go-auth (target ratio <= 1.10) or on a generated standard-library-only module of about 200
// packages (target <= 1.05). The caches are filled first; then pairs run interleaved (the order flips
// every pair), each run on a fresh checkout (no binary left from an earlier run). Prints the medians,
// their ratio, and a per-step breakdown: each step's time in the action (its job summary) against the
// same command inside the bare shell, and what is left (node, image check, container start/removal).
// Not a test: no assertions. Run after `npm run build`, alone on the machine:
//   flock /tmp/goflow-bench.lock node bench/go-build-overhead.mjs [--module go-auth|generated|all] [--pairs N] [--packages N]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkout, runGoBuildAction, seconds } from "./go-build-cache.mjs";

const { values } = parseArgs({
  options: {
    module: { type: "string", default: "go-auth" },
    pairs: { type: "string", default: "3" },
    packages: { type: "string", default: "200" },
  },
});
const PAIRS = Number(values.pairs);
const STEPS = ["format", "vet", "test", "build"];

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The bare command: one container, the four commands in one shell, each timed inside it. */
function bareRun(workspace, folders, binary) {
  const user = `${process.getuid()}:${process.getgid()}`;
  const mount = (path) => ["--mount", `type=bind,source=${path},target=${path}`];
  // The image's date has no %N: /proc/uptime's centiseconds are the clock (10 ms steps).
  const mark = (name) => `echo "mark ${name} $(cut -d' ' -f1 /proc/uptime)" >&2`;
  const script = [
    mark("start"),
    'test -z "$(gofmt -l .)"',
    mark("format"),
    "go vet ./...",
    mark("vet"),
    "go test -json ./... > /dev/null",
    mark("test"),
    `go build -trimpath -o ${binary} .`,
    mark("build"),
  ].join(" && ");
  const started = performance.now();
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
      "--network",
      "host",
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
      "sh",
      "-c",
      script,
    ],
    { encoding: "utf8" },
  );
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`the bare command failed:\n${result.stdout}\n${result.stderr}`);
  const marks = Object.fromEntries(
    [...result.stderr.matchAll(/^mark (\w+) ([\d.]+)$/gm)].map((m) => [m[1], Number(m[2]) * 1000]),
  );
  const steps = {};
  let previous = marks.start;
  for (const step of STEPS) {
    steps[step] = marks[step] - previous;
    previous = marks[step];
  }
  return { ms, steps };
}

/** Step times from the action's job summary rows (`| ✅ | vet | 530 ms | … |`, `2 min 5 s`: formatDuration). */
function summarySteps(summary) {
  const steps = {};
  for (const m of summary.matchAll(/^\| \S+ \| (\w+) \| ([^|]+?) \|/gm)) {
    const time = /^(?:(\d+) min )?([\d.]+) (ms|s)$/.exec(m[2]);
    if (time) steps[m[1]] = Number(time[1] ?? 0) * 60_000 + Number(time[2]) * (time[3] === "s" ? 1000 : 1);
  }
  return steps;
}

/**
 * A module of `count` packages using only the standard library: p000 … p(n-1), each importing two
 * earlier ones (a tree a few levels deep, so the compiles can overlap), with a test per package,
 * and a main package importing the last ten.
 */
function generateModule(dir, count) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "go.mod"), "module example.com/generated\n\ngo 1.24\n");
  const name = (i) => `p${String(i).padStart(3, "0")}`;
  for (let i = 0; i < count; i++) {
    const deps = i === 0 ? [] : [...new Set([Math.floor(i / 2), Math.floor(i / 3)])].filter((d) => d < i);
    const pkg = join(dir, "internal", name(i));
    mkdirSync(pkg, { recursive: true });
    const imports = [
      "fmt",
      "sort",
      "strings",
      ...deps.map((d) => `example.com/generated/internal/${name(d)}`),
    ];
    const depCalls = deps.map((d) => `${name(d)}.Describe(words[:1])`).join(" + ");
    writeFileSync(
      join(pkg, `${name(i)}.go`),
      `// Package ${name(i)} is generated by bench/go-build-overhead.mjs.
package ${name(i)}

import (
${imports.map((path) => `\t"${path}"`).join("\n")}
)

// Item is a value the package sorts and describes.
type Item struct {
\tName  string
\tScore int
}

// Rank sorts items by score, then name.
func Rank(items []Item) []Item {
\tout := append([]Item(nil), items...)
\tsort.Slice(out, func(a, b int) bool {
\t\tif out[a].Score != out[b].Score {
\t\t\treturn out[a].Score > out[b].Score
\t\t}
\t\treturn out[a].Name < out[b].Name
\t})
\treturn out
}

// Describe joins words and what the packages below say about them.
func Describe(words []string) string {
\treturn fmt.Sprintf("%s:%d", strings.Join(words, "-"), len(words))${depCalls ? ` + ${depCalls}` : ""}
}
`,
    );
    writeFileSync(
      join(pkg, `${name(i)}_test.go`),
      `package ${name(i)}

import "testing"

func TestRank(t *testing.T) {
\tgot := Rank([]Item{{"b", 1}, {"a", 2}, {"c", 1}})
\tif got[0].Name != "a" || got[1].Name != "b" || got[2].Name != "c" {
\t\tt.Fatalf("Rank: %v", got)
\t}
}

func TestDescribe(t *testing.T) {
\tif Describe([]string{"x", "y"}) == "" {
\t\tt.Fatal("empty")
\t}
}
`,
    );
  }
  const top = Array.from({ length: Math.min(10, count) }, (_, k) => count - 1 - k);
  writeFileSync(
    join(dir, "main.go"),
    `package main

import (
\t"fmt"

${top.map((i) => `\t"example.com/generated/internal/${name(i)}"`).join("\n")}
)

func main() {
${top.map((i) => `\tfmt.Println(${name(i)}.Describe([]string{"go"}))`).join("\n")}
}
`,
  );
}

function benchmark(label, source, binary) {
  const scratch = mkdtempSync(join(tmpdir(), "goflow-bench-overhead-"));
  const cacheDir = join(scratch, "cache");
  const folders = {
    home: join(cacheDir, "home"),
    build: join(cacheDir, "build"),
    mod: join(cacheDir, "mod"),
  };
  for (const dir of Object.values(folders)) mkdirSync(dir, { recursive: true });
  const inputs = { "cache-dir": cacheDir };
  const runAction = () => {
    const workspace = checkout(scratch, source);
    try {
      const run = runGoBuildAction({ workspace, scratch, inputs });
      return { ms: run.ms, steps: summarySteps(run.summary) };
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  };
  const runBare = () => {
    const workspace = checkout(scratch, source);
    try {
      return bareRun(workspace, folders, binary);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  };
  try {
    // Fill the caches both use (the action's run and the bare one), then measure.
    runAction();
    runBare();
    const action = [];
    const bare = [];
    for (let i = 0; i < PAIRS; i++) {
      if (i % 2 === 0) {
        action.push(runAction());
        bare.push(runBare());
      } else {
        bare.push(runBare());
        action.push(runAction());
      }
    }
    const a = median(action.map((r) => r.ms));
    const b = median(bare.map((r) => r.ms));
    console.log(`\n${label}: warm caches, ${PAIRS} interleaved pairs, fresh checkout per run`);
    console.log(
      `  action (main + post)   median ${seconds(a)}   [${action.map((r) => seconds(r.ms)).join(", ")}]`,
    );
    console.log(
      `  bare one container     median ${seconds(b)}   [${bare.map((r) => seconds(r.ms)).join(", ")}]`,
    );
    console.log(`  ratio action / bare    ${(a / b).toFixed(2)}`);
    console.log("  step      action   bare shell   difference");
    let actionSteps = 0;
    let bareSteps = 0;
    for (const step of STEPS) {
      const sa = median(action.map((r) => r.steps[step] ?? 0));
      const sb = median(bare.map((r) => r.steps[step]));
      actionSteps += sa;
      bareSteps += sb;
      console.log(
        `  ${step.padEnd(8)} ${seconds(sa).padStart(8)} ${seconds(sb).padStart(10)} ${seconds(sa - sb).padStart(10)}`,
      );
    }
    const deps = median(action.map((r) => r.steps.dependencies ?? 0));
    console.log(`  dependencies step (action only): ${seconds(deps)}`);
    // vet runs beside the format check and the build beside the tests, so the action's steps add up
    // to more than its wall time: what is left after them is no longer "outside the steps" then.
    const left = a - actionSteps - deps;
    console.log(
      left >= 0
        ? `  outside the steps: action ${seconds(left)} (node main + post, image check, container start and removal), bare ${seconds(b - bareSteps)} (docker run --rm)`
        : `  the action's steps overlap (vet beside format, build beside test): they add up to ${seconds(-left)} more than its wall time; bare outside its steps ${seconds(b - bareSteps)} (docker run --rm)`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const modules = values.module === "all" ? ["go-auth", "generated"] : [values.module];
for (const module of modules) {
  if (module === "go-auth") {
    benchmark("examples/go-auth (target <= 1.10)", undefined, "go-auth");
  } else if (module === "generated") {
    const dir = mkdtempSync(join(tmpdir(), "goflow-bench-generated-"));
    try {
      generateModule(dir, Number(values.packages));
      // The generator writes plain text; gofmt lays it out (not timed), so the format step passes.
      const formatted = spawnSync("docker", [
        "run",
        "--rm",
        "--user",
        `${process.getuid()}:${process.getgid()}`,
        "--network",
        "none",
        "--mount",
        `type=bind,source=${dir},target=/src`,
        "golang:1.24",
        "gofmt",
        "-w",
        "/src",
      ]);
      if (formatted.status !== 0)
        throw new Error(`gofmt -w of the generated module failed: ${formatted.stderr}`);
      benchmark(`generated module, ${values.packages} packages (target <= 1.05)`, dir, "generated");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    throw new Error(`--module ${module}: use go-auth, generated or all`);
  }
}
