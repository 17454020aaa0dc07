import { cpSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { DataFolder, ProjectBindMount, SourceKind } from "../rules/compose/index.js";
import { type Docker, removeFolderAsRootArgs } from "./docker.js";
import { describeFailure } from "./process.js";

/** What the host has at each bind-mount source. */
export function inspectBindSources(mounts: readonly ProjectBindMount[]): Map<string, SourceKind> {
  const kinds = new Map<string, SourceKind>();
  for (const { source } of mounts) {
    if (kinds.has(source)) continue;
    if (!existsSync(source)) kinds.set(source, "missing");
    else kinds.set(source, statSync(source).isDirectory() ? "directory" : "file");
  }
  return kinds;
}

/**
 * Makes one environment's copies of the data folders under `folder` (which
 * must not exist yet): the original's content when there is one, else empty.
 * Returns original source → copy, for `redirectDataFolders`.
 */
export function copyDataFolders(folders: readonly DataFolder[], folder: string): Map<string, string> {
  const copies = new Map<string, string>();
  folders.forEach((data, index) => {
    const copy = join(folder, `${index + 1}-${basename(data.source)}`);
    if (data.copy) cpSync(data.source, copy, { recursive: true, preserveTimestamps: true });
    else mkdirSync(copy, { recursive: true });
    copies.set(data.source, copy);
  });
  return copies;
}

/**
 * Removes a folder the containers wrote into, whoever owns what they wrote:
 * first as this user; what is left (a database's files, owned by its uid) by
 * a short-lived root container of one of `images` (local images the run has
 * already used, so nothing is pulled) that mounts the parent folder and
 * removes the folder in it. Never throws: returns a warning when nothing
 * could remove it.
 */
export async function removeWrittenFolder(
  docker: Docker,
  folder: string,
  images: readonly string[],
  runLabel: string,
): Promise<string | undefined> {
  if (removeAsUser(folder)) return undefined;
  const failures: string[] = [];
  for (const image of images) {
    const args = removeFolderAsRootArgs({ parent: dirname(folder), name: basename(folder) }, image, runLabel);
    const result = await docker.run(args, { timeoutMs: 5 * 60_000 });
    if (result.exitCode === 0 && removeAsUser(folder)) return undefined;
    failures.push(`${image}: ${describeFailure(result)}`);
  }
  return `could not remove ${folder}, which the containers wrote into (${failures.join("; ") || "no image to remove it with"}); remove it as root`;
}

function removeAsUser(folder: string): boolean {
  try {
    rmSync(folder, { recursive: true, force: true });
  } catch {
    // EACCES/EPERM: files of another uid; the caller tries a container.
  }
  return !existsSync(folder);
}
