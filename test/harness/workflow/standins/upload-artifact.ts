import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";

/**
 * Stand-in for actions/upload-artifact (its pinned code may not be vendored
 * here): the same inputs and outputs, and the same real @actions/artifact
 * client talking to ACTIONS_RESULTS_URL. Paths are files or folders, one per
 * line; the upload's root is their common folder, as upload-artifact's is.
 */
async function main(): Promise<void> {
  // What the stand-in cannot do fails the step rather than being ignored into a green run.
  if (core.getBooleanInput("overwrite"))
    throw new Error("the upload-artifact stand-in does not support 'overwrite'");
  const name = core.getInput("name") || "artifact";
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const paths = core
    .getMultilineInput("path", { required: true })
    .map((path) => (isAbsolute(path) ? path : resolve(workspace, path)));
  if (paths.some((path) => /[*?[]/.test(path)))
    throw new Error("the upload-artifact stand-in takes files and folders, not globs");
  const hidden = core.getBooleanInput("include-hidden-files");
  const files = paths.flatMap((path) => (existsSync(path) ? walk(path, hidden) : []));
  if (files.length === 0) {
    const policy = core.getInput("if-no-files-found") || "warn";
    const message = `No files were found with the provided path: ${paths.join(", ")}. No artifacts will be uploaded.`;
    if (policy === "error") throw new Error(message);
    if (policy === "warn") core.warning(message);
    else core.info(message);
    return;
  }
  const root = commonFolder(paths.map((path) => (statSync(path).isDirectory() ? path : dirname(path))));
  const retention = Number(core.getInput("retention-days") || "0");
  const client = new DefaultArtifactClient();
  const uploaded = await client.uploadArtifact(name, files, root, {
    ...(retention > 0 ? { retentionDays: retention } : {}),
    compressionLevel: Number(core.getInput("compression-level") || "6"),
  });
  core.info(
    `Artifact ${name} has been successfully uploaded! Final size is ${uploaded.size} bytes. Artifact ID is ${uploaded.id}`,
  );
  core.setOutput("artifact-id", String(uploaded.id ?? ""));
  core.setOutput("artifact-digest", uploaded.digest ?? "");
  core.setOutput(
    "artifact-url",
    `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}/artifacts/${uploaded.id}`,
  );
}

function walk(path: string, hidden: boolean): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((entry) => hidden || !entry.startsWith("."))
    .flatMap((entry) => walk(join(path, entry), hidden));
}

function commonFolder(folders: string[]): string {
  const split = folders.map((folder) => folder.split(sep));
  const first = split[0] ?? [];
  let length = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < length && parts[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length).join(sep) || sep;
}

main().catch((error: unknown) => core.setFailed(error instanceof Error ? error.message : String(error)));
