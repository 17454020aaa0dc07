// Bundles every entry point into dist/<entry>/index.cjs (and post.cjs), then
// writes the licenses of the bundled packages. Deterministic: the same sources
// give the same bytes, so CI can compare a fresh build with the committed one.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = process.argv[2] ? resolve(process.argv[2]) : join(root, "dist");

/** src/actions/<name>/{main,post}.ts and src/cli/main.ts; found, not listed, so a new action needs no edit here. */
function findEntryPoints() {
  const entries = {};
  const actionsDir = join(root, "src/actions");
  for (const name of readdirSync(actionsDir).sort()) {
    for (const [file, out] of [
      ["main.ts", "index"],
      ["post.ts", "post"],
    ]) {
      const path = join(actionsDir, name, file);
      if (existsSync(path)) entries[`${name}/${out}`] = path;
    }
  }
  entries["cli/index"] = join(root, "src/cli/main.ts");
  return entries;
}

/**
 * The cache, artifact and GitHub API clients are most of every bundle's bytes
 * (each brings undici), and most steps never use them: each gets one shared
 * bundle in dist/vendor/, required only when the code that needs it first
 * runs, so a step does not pay to parse megabytes it does not use.
 */
const VENDORED = {
  "@actions/cache": "vendor/actions-cache",
  "@actions/artifact": "vendor/actions-artifact",
  "@actions/github": "vendor/actions-github",
};

/**
 * What each bundle runs on: the actions on the Node their action.yml declares
 * (node24), the CLI (and the vendor bundles it may load) on the oldest line it
 * supports (package.json engines).
 */
const ACTION_TARGET = "node24";
const CLI_TARGET = "node22";

const common = {
  absWorkingDir: root,
  outdir,
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  format: "cjs",
  minify: false,
  sourcemap: false,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  // ESM-only dependencies read import.meta.url; in a CommonJS bundle that is the bundle's own file.
  define: { "import.meta.url": "__goflow_import_meta_url" },
  banner: { js: `const __goflow_import_meta_url = require("node:url").pathToFileURL(__filename).href;` },
};

const vendorPlugin = {
  name: "goflow-vendor",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@actions\/(cache|artifact|github)$/ }, (args) => ({
      // Every entry point sits in dist/<name>/, so one relative path reaches dist/vendor/.
      path: `../${VENDORED[args.path]}.cjs`,
      external: true,
    }));
  },
};

/**
 * @actions/core imports @actions/http-client (and through it undici, ~770 KB)
 * for getIDToken alone, which no goflow action calls. Declaring the client
 * free of import side effects lets esbuild drop it wherever nothing uses it;
 * code that does use it still gets all of it.
 */
const httpClientWithoutSideEffects = {
  name: "goflow-http-client-side-effects",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@actions\/http-client(\/|$)/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

mkdirSync(outdir, { recursive: true });
const entryPoints = findEntryPoints();
const plugins = [vendorPlugin, httpClientWithoutSideEffects];
const { "cli/index": cliEntry, ...actionEntries } = entryPoints;
const builds = await Promise.all([
  build({
    ...common,
    target: CLI_TARGET,
    entryPoints: Object.fromEntries(Object.entries(VENDORED).map(([name, out]) => [out, name])),
  }),
  build({ ...common, target: ACTION_TARGET, entryPoints: actionEntries, plugins }),
  build({ ...common, target: CLI_TARGET, entryPoints: { "cli/index": cliEntry }, plugins }),
]);
const result = {
  metafile: {
    inputs: Object.assign({}, ...builds.map((b) => b.metafile.inputs)),
    outputs: Object.assign({}, ...builds.map((b) => b.metafile.outputs)),
  },
};

// The CLI is run directly (`npx goflow`), so it needs a shebang on its first line.
const cli = join(outdir, "cli/index.cjs");
writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, "utf8")}`, { mode: 0o755 });

writeFileSync(join(outdir, "licenses.txt"), renderLicenses(result.metafile));
removeStaleFiles(
  outdir,
  new Set([
    ...Object.keys(result.metafile.outputs).map((file) => join(root, file)),
    join(outdir, "licenses.txt"),
  ]),
);
console.log(
  `built ${Object.keys(entryPoints).length} entry points and ${Object.keys(VENDORED).length} vendor bundles into ${relative(root, outdir) || "."}`,
);

/**
 * Files are overwritten in place and only stale ones removed afterwards, so a
 * test running an action while someone rebuilds never finds dist/ missing.
 */
function removeStaleFiles(dir, keep) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      removeStaleFiles(path, keep);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (!keep.has(path)) rmSync(path);
  }
}

function renderLicenses(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!match) continue;
    const dir = join(root, input.slice(0, match.index + match[0].length));
    if (packages.has(dir)) continue;
    packages.set(dir, readPackageLicense(dir));
  }
  const entries = [...packages.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const unique = entries.filter((entry, i) => i === 0 || entries[i - 1].id !== entry.id);
  return unique
    .map((p) => `${p.id}\n${p.license}\n${p.text ? `\n${p.text.trim()}\n` : ""}`)
    .join("\n---\n\n");
}

function readPackageLicense(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((name) => /^(licen[sc]e|copying)(\.|$)/i.test(name));
  return {
    id: `${pkg.name}@${pkg.version}`,
    license: typeof pkg.license === "string" ? pkg.license : "UNKNOWN",
    text: file ? readFileSync(join(dir, file), "utf8") : "",
  };
}
