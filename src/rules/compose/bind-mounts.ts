import { posix } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { compareStrings, composeServiceNames, isObject } from "./config.js";
import type { ComposeConfig } from "./types.js";

/** A bind mount of a path inside the project folder, as `docker compose config` prints it (absolute source). */
export interface ProjectBindMount {
  service: string;
  /** Index in the service's `volumes` list. */
  index: number;
  /** Absolute path on the host. */
  source: string;
  target: string;
  readOnly: boolean;
}

/** What the host has at a bind mount's source, as the caller found it. */
export type SourceKind = "directory" | "file" | "missing";

/**
 * The bind mounts whose source lies inside `projectDirectory` (absolute), in
 * service order. Mounts of host paths outside the project (the docker socket,
 * /etc/localtime) are not the project's data and are left out.
 */
export function listProjectBindMounts(config: ComposeConfig, projectDirectory: string): ProjectBindMount[] {
  const mounts: ProjectBindMount[] = [];
  for (const service of composeServiceNames(config)) {
    const volumes = config.services[service]?.volumes ?? [];
    volumes.forEach((volume, index) => {
      if (!isObject(volume) || volume.type !== "bind") return;
      const source = typeof volume.source === "string" ? volume.source : "";
      const target = typeof volume.target === "string" ? volume.target : "";
      if (!isInside(source, projectDirectory)) return;
      mounts.push({ service, index, source, target, readOnly: volume.read_only === true });
    });
  }
  return mounts;
}

/** A data folder every environment gets its own copy of: copied from `source`, or empty when it is missing. */
export interface DataFolder {
  source: string;
  /** The original exists and is copied; else the copy starts empty. */
  copy: boolean;
  /** Services that mount it, sorted. */
  services: string[];
}

/**
 * Decides what happens to each project bind mount, given what the host has at
 * its source:
 * - a read-write mount of a folder is data: every environment gets its own
 *   copy (so each starts from the checked-in state, and no run sees another's
 *   writes);
 * - a read-write mount of a missing path without a file extension is a data
 *   folder the project creates at run time (`./database-data`): each
 *   environment gets an empty one;
 * - read-only mounts and files (config) stay as they are;
 * - a missing source that is read-only or named like a file (`config.json`)
 *   is a mistake the engine would "fix" by creating a root-owned folder in the
 *   workspace: a ConfigurationError naming the path and the service.
 * `displayPath` turns an absolute source into what the message shows.
 */
export function planDataFolders(
  mounts: readonly ProjectBindMount[],
  kinds: ReadonlyMap<string, SourceKind>,
  displayPath: (source: string) => string = (source) => source,
): DataFolder[] {
  const folders = new Map<string, DataFolder>();
  for (const mount of mounts) {
    const kind = kinds.get(mount.source) ?? "missing";
    if (kind === "missing" && (mount.readOnly || looksLikeFileName(mount.source))) {
      throw new ConfigurationError(
        `service '${mount.service}' bind-mounts ${displayPath(mount.source)} (to ${mount.target}), which does not exist; the engine would create a root-owned folder in its place. Add the ${looksLikeFileName(mount.source) ? "file" : "folder"} to the project (or fix the path in the compose file)`,
      );
    }
    if (mount.readOnly || kind === "file") continue;
    const folder = folders.get(mount.source) ?? {
      source: mount.source,
      copy: kind === "directory",
      services: [],
    };
    if (!folder.services.includes(mount.service)) folder.services.push(mount.service);
    folders.set(mount.source, folder);
  }
  return [...folders.values()]
    .map((folder) => ({ ...folder, services: folder.services.sort(compareStrings) }))
    .sort((a, b) => compareStrings(a.source, b.source));
}

/**
 * Points every read-write bind mount of a data folder at its replacement
 * (`replacements`: original source → the environment's copy). Returns a new
 * config; read-only mounts of the same folder keep the original.
 */
export function redirectDataFolders(
  config: ComposeConfig,
  replacements: ReadonlyMap<string, string>,
): ComposeConfig {
  const out = structuredClone(config);
  for (const service of Object.values(out.services)) {
    for (const volume of service.volumes ?? []) {
      if (!isObject(volume) || volume.type !== "bind" || volume.read_only === true) continue;
      const replacement = typeof volume.source === "string" ? replacements.get(volume.source) : undefined;
      if (replacement === undefined) continue;
      volume.source = replacement;
      // The copy exists; never let the engine create a path.
      if (isObject(volume.bind)) volume.bind.create_host_path = false;
    }
  }
  return out;
}

/** `config.json`, `nginx.conf`, `init.sql`; not `database-data` or `.pgdata`. */
function looksLikeFileName(path: string): boolean {
  return /^[^.].*\.[A-Za-z0-9]+$/.test(posix.basename(path));
}

function isInside(path: string, folder: string): boolean {
  if (!posix.isAbsolute(path) || !posix.isAbsolute(folder)) return false;
  const rel = posix.relative(folder, path);
  return rel !== "" && !rel.startsWith("..") && !posix.isAbsolute(rel);
}

/**
 * The images a cleanup container can be started from to remove what the
 * containers wrote into the data folders: those of the services that mount
 * them first (they run as the uid that wrote), then every other image of the
 * model, de-duplicated. All are local once the environment has run.
 */
export function cleanupImages(config: ComposeConfig, folders: readonly DataFolder[]): string[] {
  const mounting = new Set(folders.flatMap((folder) => folder.services));
  const names = composeServiceNames(config);
  const ordered = [
    ...names.filter((name) => mounting.has(name)),
    ...names.filter((name) => !mounting.has(name)),
  ];
  const images = ordered.map((name) => config.services[name]?.image).filter((image) => image !== undefined);
  return [...new Set(images)];
}
