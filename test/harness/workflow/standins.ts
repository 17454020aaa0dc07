import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";

/**
 * Stand-ins for the artifact actions whose pinned code may not be vendored in
 * this repository: each has the real action's inputs and runs the real
 * @actions/artifact client (bundled here with esbuild, once per process), so
 * the uploads and downloads speak GitHub's artifact protocol to the service.
 */
const STAND_INS: Record<string, { entry: string; yaml: string }> = {
  "actions/upload-artifact": {
    entry: "upload-artifact.ts",
    yaml: `name: upload-artifact (stand-in)
description: Uploads files or folders as an artifact with @actions/artifact.
inputs:
  name: { description: Artifact name, default: artifact }
  path: { description: Files or folders to upload, one per line, required: true }
  if-no-files-found: { description: warn, error or ignore, default: warn }
  retention-days: { description: Days to keep it, default: "0" }
  compression-level: { description: Zip level, default: "6" }
  overwrite: { description: Not supported by the stand-in (true fails), default: "false" }
  include-hidden-files: { description: Upload dot files, default: "false" }
outputs:
  artifact-id: { description: Its id }
  artifact-url: { description: Its URL }
  artifact-digest: { description: Its SHA-256 }
runs:
  using: node24
  main: index.cjs
`,
  },
  "actions/download-artifact": {
    entry: "download-artifact.ts",
    yaml: `name: download-artifact (stand-in)
description: Downloads an artifact of this run with @actions/artifact.
inputs:
  name: { description: Artifact name; empty downloads all }
  path: { description: Destination folder }
  pattern: { description: Not supported by the stand-in }
  merge-multiple: { description: Not supported by the stand-in (true fails), default: "false" }
  github-token: { description: Not supported by the stand-in }
  repository: { description: Not supported by the stand-in }
  run-id: { description: Not supported by the stand-in }
  artifact-ids: { description: Not supported by the stand-in }
outputs:
  download-path: { description: Where the files are }
runs:
  using: node24
  main: index.cjs
`,
  },
};

let folder: string | undefined;
const built = new Map<string, Promise<string>>();

export function standInAction(uses: string): Promise<string> | undefined {
  const name = uses.split("@")[0] ?? "";
  const standIn = STAND_INS[name];
  if (!standIn) return undefined;
  let dir = built.get(name);
  if (!dir) {
    dir = bundle(name, standIn);
    built.set(name, dir);
  }
  return dir;
}

async function bundle(name: string, standIn: { entry: string; yaml: string }): Promise<string> {
  // Readable by the runner user the steps may run as (mkdtemp makes it 700).
  folder ??= mkdtempSync(join(tmpdir(), "goflow-standins-"));
  chmodSync(folder, 0o755);
  const dir = join(folder, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "action.yml"), standIn.yaml);
  await build({
    entryPoints: [resolve(import.meta.dirname, "standins", standIn.entry)],
    outfile: join(dir, "index.cjs"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node24",
    logLevel: "warning",
    // @actions/artifact is ESM that reads import.meta.url; the CJS bundle gives it the file's own URL.
    define: { "import.meta.url": "__standin_import_meta_url" },
    banner: { js: `const __standin_import_meta_url = require("node:url").pathToFileURL(__filename).href;` },
  });
  return dir;
}

export function removeStandIns(): void {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
  built.clear();
}
