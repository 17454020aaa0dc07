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
    // The actions' front door never reaches into the CLI's (the CLI still reads the actions' parsers: issue 11).
    ["src/actions", /\/cli\//],
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

  it("runs programs only through the process wrapper", () => {
    const spawners = sourcesIn("src")
      .filter((file) => importsOf(file).includes("node:child_process"))
      .sort();
    expect(spawners).toEqual(["src/runtime/process.ts"]);
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
