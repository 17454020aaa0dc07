import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layering CONTRIBUTING.md describes, checked on the imports: pure rules
 * do no I/O, and stages reach the world only through the runtime layer.
 */
function sourcesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourcesIn(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/gm)].map(
    (m) => m[1] ?? "",
  );

/** `import("…")` calls: bundled like static imports. */
const dynamicImportsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] ?? "");

describe("architecture", () => {
  it("reads imports, multi-line ones too", () => {
    expect(importsOf("src/rules/config/project-config.ts")).toEqual(
      expect.arrayContaining(["yaml", "../../errors.js", "../spec/closest-key.js"]),
    );
  });

  it.each([
    [
      "src/rules",
      /^(@actions\/|node:(fs|child_process|net|http|https|os)$)|\/runtime\/|\/stages\/|\/actions\/|\/cli\//,
    ],
    ["src/stages", /^@actions\/|^node:child_process$|\/actions\/|\/cli\//],
    ["src/runtime", /\/stages\/|\/actions\/|\/cli\//],
    // Options are pure: values in (the door's, goflow.yml's, the machine's as the door reports them), options out.
    [
      "src/options",
      /^(@actions\/|node:(fs|child_process|net|http|https|os)$)|\/runtime\/|\/stages\/|\/actions\/|\/cli\//,
    ],
    // The two front doors share options and stages, never each other.
    ["src/actions", /\/cli\//],
    ["src/cli", /\/actions\//],
  ])("%s imports nothing matching %s", (dir, forbidden) => {
    const offenders = sourcesIn(dir).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => forbidden.test(specifier))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it("reaches the network only from the runtime layer (no fetch elsewhere)", () => {
    const callers = sourcesIn("src")
      .filter((file) => !file.startsWith(join("src", "runtime")))
      .filter((file) => /\bfetch\s*\(/.test(readFileSync(file, "utf8")));
    expect(callers).toEqual([]);
  });

  it("reads no environment in the options layer: the doors hand it in", () => {
    const readers = sourcesIn("src/options").filter((file) =>
      /\bprocess\.(env|argv|cwd)\b/.test(readFileSync(file, "utf8")),
    );
    expect(readers).toEqual([]);
  });

  it("spawns only from the runtime layer (no child_process elsewhere)", () => {
    const spawners = sourcesIn("src")
      .filter((file) => !file.startsWith(join("src", "runtime")))
      .filter((file) => /child_process/.test(readFileSync(file, "utf8")));
    expect(spawners).toEqual([]);
  });

  it("bundles no @actions/core into the CLI: nothing src/cli/main.ts reaches imports it", () => {
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const specifier of [...importsOf(file), ...dynamicImportsOf(file)]) {
        if (specifier.startsWith("."))
          visit(normalize(join(dirname(file), specifier.replace(/\.js$/, ".ts"))));
      }
    };
    visit(normalize("src/cli/main.ts"));
    expect(reached.size).toBeGreaterThan(20);
    const offenders = [...reached].filter((file) =>
      importsOf(file).some((s) => s.startsWith("@actions/core")),
    );
    expect(offenders).toEqual([]);
  });

  it("runs programs only through the process wrapper", () => {
    const spawners = sourcesIn("src")
      .filter((file) => importsOf(file).includes("node:child_process"))
      .sort();
    expect(spawners).toEqual(["src/runtime/process.ts"]);
  });

  it("runs docker and git only through their runtime modules: one home for each program's argv", () => {
    const callers = sourcesIn("src")
      .filter((file) => /\brunProcess(Checked)?\(/.test(readFileSync(file, "utf8")))
      .map(normalize)
      .sort();
    expect(callers).toEqual(
      [
        "src/runtime/docker-credentials.ts",
        "src/runtime/docker.ts",
        "src/runtime/git.ts",
        "src/runtime/process.ts",
      ].map(normalize),
    );
  });

  it("has no import cycles (type-only imports count: they tie modules together as much)", () => {
    const files = sourcesIn("src").map(normalize);
    const edges = new Map(
      files.map((file) => [
        file,
        importsOf(file)
          .filter((specifier) => specifier.startsWith("."))
          .map((specifier) => normalize(join(dirname(file), specifier.replace(/\.js$/, ".ts"))))
          .filter((target) => files.includes(target)),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (file: string): void => {
      state.set(file, "open");
      path.push(file);
      for (const next of edges.get(file) ?? []) {
        if (state.get(next) === "open") cycles.push([...path.slice(path.indexOf(next)), next].join(" → "));
        else if (state.get(next) === undefined) visit(next);
      }
      path.pop();
      state.set(file, "done");
    };
    for (const file of files) if (state.get(file) === undefined) visit(file);
    expect(cycles).toEqual([]);
  });
});
