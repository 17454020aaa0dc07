import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { goCacheKey } from "../../../src/rules/go/index.js";
import type { CacheStore } from "../../../src/runtime/cache.js";
import { RecordingReporter } from "../../../src/runtime/reporter.js";
import { MemoryState, StateKey } from "../../../src/runtime/state.js";
import {
  CACHE_MARKER,
  type GoCacheState,
  restoreGoCache,
  saveGoCache,
  trimBuildCache,
} from "../../../src/stages/go-build/cache.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "goflow-build-cache-"));
  made.push(dir);
  return dir;
}

const parts = {
  os: "linux",
  arch: "x64",
  builderImage: "ghcr.io/acme/go:1.24@sha256:abc",
  goVersion: "1.24",
  goMod: "module x\n",
  goSum: "",
};

/** A cache service that remembers what it holds, as the Actions cache does per key. */
class FakeCacheService implements CacheStore {
  readonly available = true;
  readonly saved: { paths: string[]; key: string }[] = [];
  constructor(private readonly keys: string[] = []) {}
  async restore(_paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined> {
    if (this.keys.includes(primaryKey)) return primaryKey;
    return this.keys.find((key) => restoreKeys.some((prefix) => key.startsWith(prefix)));
  }
  async save(paths: string[], key: string): Promise<void> {
    this.saved.push({ paths, key });
  }
}

describe("restoreGoCache and saveGoCache", () => {
  const folders = (root: string) => ({
    home: join(root, "home"),
    build: join(root, "build"),
    mod: join(root, "mod"),
  });

  it("misses, then post saves to the service and writes the marker; the next run hits locally", async () => {
    const cacheDir = tempDir();
    const service = new FakeCacheService();
    const state = new MemoryState();
    const reporter = new RecordingReporter();
    const input = {
      folders: folders(cacheDir),
      cacheDir,
      keyParts: parts,
      service,
      runStartedMs: Date.now(),
    };
    const first = await restoreGoCache(input, { reporter, state });
    expect(first.hit).toBe(false);
    const saved = JSON.parse(state.get(StateKey.goCache)) as GoCacheState;
    expect(saved).toMatchObject({
      key: first.key,
      saveToService: true,
      paths: [join(cacheDir, "mod"), join(cacheDir, "build")],
    });

    await saveGoCache(state, { reporter, service: async () => service });
    expect(service.saved).toEqual([{ paths: saved.paths, key: first.key }]);
    expect(readFileSync(join(cacheDir, CACHE_MARKER), "utf8")).toBe(`${first.key}\n`);

    const second = await restoreGoCache(
      { ...input, service: undefined },
      { reporter, state: new MemoryState() },
    );
    expect(second.hit).toBe(true);
  });

  it("hits on the service's exact key and then saves nothing", async () => {
    const cacheDir = tempDir();
    const { key } = goCacheKey(parts);
    const service = new FakeCacheService([key]);
    const state = new MemoryState();
    const reporter = new RecordingReporter();
    const restored = await restoreGoCache(
      { folders: folders(cacheDir), cacheDir, keyParts: parts, service, runStartedMs: 0 },
      { reporter, state },
    );
    expect(restored.hit).toBe(true);
    await saveGoCache(state, { reporter, service: async () => service });
    expect(service.saved).toEqual([]);
  });

  it("counts a restore key's caches as a miss and saves under the new key", async () => {
    const cacheDir = tempDir();
    const older = `${goCacheKey(parts).restoreKeys[0]}${"0".repeat(64)}`;
    const service = new FakeCacheService([older]);
    const state = new MemoryState();
    const reporter = new RecordingReporter();
    const restored = await restoreGoCache(
      { folders: folders(cacheDir), cacheDir, keyParts: parts, service, runStartedMs: 0 },
      { reporter, state },
    );
    expect(restored.hit).toBe(false);
    expect(reporter.lines).toContain(`restored Go caches from ${older}`);
    await saveGoCache(state, { reporter, service: async () => service });
    expect(service.saved.map((s) => s.key)).toEqual([restored.key]);
  });

  it("warns instead of failing when the service fails", async () => {
    const cacheDir = tempDir();
    const broken: CacheStore = {
      available: true,
      restore: () => Promise.reject(new Error("service down")),
      save: () => Promise.reject(new Error("another job is saving this key")),
    };
    const state = new MemoryState();
    const reporter = new RecordingReporter();
    const restored = await restoreGoCache(
      { folders: folders(cacheDir), cacheDir, keyParts: parts, service: broken, runStartedMs: 0 },
      { reporter, state },
    );
    expect(restored.hit).toBe(false);
    await saveGoCache(state, { reporter, service: async () => broken });
    expect(reporter.lines.filter((line) => line.startsWith("warning:"))).toEqual([
      expect.stringContaining("service down"),
      expect.stringContaining("another job is saving this key"),
    ]);
    expect(existsSync(join(cacheDir, CACHE_MARKER))).toBe(false);
  });

  it("does nothing in post when main recorded no cache", async () => {
    const reporter = new RecordingReporter();
    await saveGoCache(new MemoryState(), {
      reporter,
      service: () => Promise.reject(new Error("not called")),
    });
    expect(reporter.lines).toEqual([]);
  });
});

describe("trimBuildCache", () => {
  it("deletes entries not touched since the cutoff and keeps Go's own files", () => {
    const build = tempDir();
    const old = Date.now() / 1000 - 3 * 3600;
    const write = (path: string, seconds?: number) => {
      mkdirSync(join(build, path, ".."), { recursive: true });
      writeFileSync(join(build, path), "x".repeat(10));
      if (seconds !== undefined) utimesSync(join(build, path), seconds, seconds);
    };
    write("ab/unused-a", old);
    write("ab/used-a");
    write("0f/unused-d", old);
    write("README", old);
    write("trim.txt", old);
    write("fuzz/corpus/x", old);
    const trimmed = trimBuildCache(build, Date.now() - 3600_000);
    expect(trimmed).toEqual({ files: 2, bytes: 20 });
    expect(existsSync(join(build, "ab/used-a"))).toBe(true);
    expect(existsSync(join(build, "ab/unused-a"))).toBe(false);
    expect(existsSync(join(build, "README"))).toBe(true);
    expect(existsSync(join(build, "fuzz/corpus/x"))).toBe(true);
    expect(trimBuildCache(join(build, "missing"), Date.now())).toEqual({ files: 0, bytes: 0 });
  });
});
