import * as cache from "@actions/cache";

/**
 * Keeps folders between runs: @actions/cache on GitHub; elsewhere the folders
 * simply stay where they are (the CLI's user cache folder, a self-hosted
 * runner's disk), so restore finds nothing and save has nothing to do.
 */
export interface CacheStore {
  readonly available: boolean;
  /** Returns the key that was restored (the primary key or one of the restore keys), or undefined. */
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

export class GitHubCacheStore implements CacheStore {
  readonly available = true;
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined> {
    return cache.restoreCache(paths, primaryKey, restoreKeys);
  }
  async save(paths: string[], key: string): Promise<void> {
    await cache.saveCache(paths, key);
  }
}

export const noCacheService: CacheStore = {
  available: false,
  restore: async () => undefined,
  save: async () => undefined,
};

export function createCacheStore(): CacheStore {
  return cache.isFeatureAvailable() ? new GitHubCacheStore() : noCacheService;
}
