// `npm run workflow`: bundles the runner (TypeScript, and GitHub's parser, whose JSON schema
// imports plain Node refuses) with esbuild into node_modules/.cache (where its own imports of
// esbuild and @actions/artifact still resolve), then runs it on this Node, forwarding a cancel.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const here = import.meta.dirname;
const cache = resolve(here, "../../../node_modules/.cache");
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, "goflow-workflow-"));
const outfile = join(dir, "cli.mjs");
/**
 * The runner finds the toolkit, its stand-ins and the pinned Node binaries relative to its
 * sources: each of this repository's modules keeps its own import.meta.url and dirname.
 */
const sourceLocations = {
  name: "source-locations",
  setup(plugin) {
    plugin.onLoad({ filter: /\/(test|scripts|src)\/.*\.(ts|mjs)$/ }, (args) => ({
      loader: args.path.endsWith(".ts") ? "ts" : "js",
      contents: readFileSync(args.path, "utf8")
        .replace(/(?<!["'])import\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/(?<!["'])import\.meta\.url\b(?!["'])/g, JSON.stringify(pathToFileURL(args.path).href)),
    }));
  },
};

try {
  await build({
    entryPoints: [join(here, "cli.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "warning",
    external: ["esbuild"],
    plugins: [sourceLocations],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  const child = spawn(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  process.exitCode = await new Promise((done) => child.on("close", (code) => done(code ?? 1)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
