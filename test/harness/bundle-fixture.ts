import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";

const bundled = new Set<string>();

/**
 * Bundles a TypeScript fixture entry (test/fixtures/entries/*.ts) the way
 * scripts/build.mjs bundles the real ones, into a temp folder, so a test can
 * run it on any pinned Node. Targets the oldest Node a test runs it on.
 */
export async function bundleFixture(entry: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "goflow-fixture-bundle-"));
  bundled.add(dir);
  const outfile = join(dir, `${basename(entry, ".ts")}.cjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
    define: { "import.meta.url": "__fixture_import_meta_url" },
    banner: { js: `const __fixture_import_meta_url = require("node:url").pathToFileURL(__filename).href;` },
  });
  return outfile;
}

export function removeFixtureBundles(): void {
  for (const dir of bundled) rmSync(dir, { recursive: true, force: true });
  bundled.clear();
}
