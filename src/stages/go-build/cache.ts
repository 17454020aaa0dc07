import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatBytes } from "../../rules/format.js";
import { type GoCacheKeyParts, goCacheKey } from "../../rules/go/index.js";
import type { CacheStore } from "../../runtime/cache.js";
import type { GoFolders } from "../../runtime/go-container.js";
import type { Reporter } from "../../runtime/reporter.js";
import { StateKey, type StateStore } from "../../runtime/state.js";

/** What main hands to post (StateKey.goCache) so post can save exactly what main restored. */
export interface GoCacheState {
  key: string;
  /** GOMODCACHE and GOCACHE. */
  paths: string[];
  buildDir: string;
  /** Written after a successful run: the folders hold the caches of this key. */
  markerFile: string;
  /** True when the cache service is there and missed the exact key. */
  saveToService: boolean;
  /** Epoch ms when main started; build cache entries older than an hour before it were not used. */
  runStartedMs: number;
}

/** File in the cache folder naming the key its contents belong to. */
export const CACHE_MARKER = "goflow-cache-key";

/** True when an earlier successful run left these folders holding the caches of `key`. */
export function localCacheMatches(markerFile: string, key: string): boolean {
  try {
    return readFileSync(markerFile, "utf8").trim() === key;
  } catch {
    return false;
  }
}

export interface RestoreGoCacheInput {
  folders: GoFolders;
  cacheDir: string;
  keyParts: GoCacheKeyParts;
  /** Undefined when the runner has no cache service (local folders only). */
  service: CacheStore | undefined;
  runStartedMs: number;
}

/**
 * Restores the module and build caches from the service when there is one,
 * records in the state what post has to save, and says whether the caches
 * already match this run's key (the service's exact key, or the local marker).
 */
export async function restoreGoCache(
  input: RestoreGoCacheInput,
  runtime: { reporter: Reporter; state: StateStore },
): Promise<{ hit: boolean; key: string }> {
  const { key, restoreKeys } = goCacheKey(input.keyParts);
  const paths = [input.folders.mod, input.folders.build];
  const markerFile = join(input.cacheDir, CACHE_MARKER);
  let restored: string | undefined;
  if (input.service) {
    try {
      restored = await input.service.restore(paths, key, restoreKeys);
    } catch (error) {
      // A cache outage must not fail a build: it only makes it slower.
      runtime.reporter.warning(`restoring the Go caches failed, building without them: ${String(error)}`);
    }
    runtime.reporter.info(
      restored ? `restored Go caches from ${restored}` : `no Go caches stored for ${key}`,
    );
  }
  const localHit = localCacheMatches(markerFile, key);
  if (localHit) runtime.reporter.info(`the Go caches in ${input.cacheDir} are from an earlier run of ${key}`);
  const state: GoCacheState = {
    key,
    paths,
    buildDir: input.folders.build,
    markerFile,
    saveToService: input.service !== undefined && restored !== key,
    runStartedMs: input.runStartedMs,
  };
  runtime.state.save(StateKey.goCache, JSON.stringify(state));
  return { hit: restored === key || localHit, key };
}

/**
 * The post step (the job succeeded): trims the build cache to what this run
 * used, saves both caches under the key when the service missed it, and
 * writes the marker. Never throws: a failed save must not fail a green job.
 */
export async function saveGoCache(
  stateStore: StateStore,
  runtime: { reporter: Reporter; service: () => Promise<CacheStore | undefined> },
): Promise<void> {
  const text = stateStore.get(StateKey.goCache);
  if (!text) return;
  const state = JSON.parse(text) as GoCacheState;
  const { reporter } = runtime;
  try {
    if (state.saveToService) {
      const service = await runtime.service();
      if (service) {
        const trimmed = trimBuildCache(state.buildDir, state.runStartedMs - GO_CACHE_TOUCH_INTERVAL_MS);
        reporter.info(
          `trimmed the build cache: ${trimmed.files} entries (${formatBytes(trimmed.bytes)}) this run did not use`,
        );
        await service.save(state.paths, state.key);
        reporter.info(`saved the Go caches as ${state.key}`);
      }
    }
    writeFileSync(state.markerFile, `${state.key}\n`);
  } catch (error) {
    // Two jobs racing to save the same key is normal; the other one's caches are as good.
    reporter.warning(
      `saving the Go caches failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Go refreshes a build cache entry's mtime when it uses an entry whose mtime
 * is older than an hour, so every entry this run used is newer than
 * (run start - 1 h).
 */
export const GO_CACHE_TOUCH_INTERVAL_MS = 60 * 60_000;

/**
 * Deletes build cache entries (files in GOCACHE's two-hex-digit folders)
 * last modified before `cutoffMs`; leaves Go's own bookkeeping files alone.
 */
export function trimBuildCache(buildDir: string, cutoffMs: number): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  if (!existsSync(buildDir)) return { files, bytes };
  for (const bucket of readdirSync(buildDir)) {
    if (!/^[0-9a-f]{2}$/.test(bucket)) continue;
    const bucketDir = join(buildDir, bucket);
    for (const entry of readdirSync(bucketDir)) {
      const path = join(bucketDir, entry);
      const stat = lstatSync(path);
      if (!stat.isFile() || stat.mtimeMs >= cutoffMs) continue;
      rmSync(path, { force: true });
      files++;
      bytes += stat.size;
    }
  }
  return { files, bytes };
}
