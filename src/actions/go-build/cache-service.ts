import type { CacheStore } from "../../runtime/cache.js";

/**
 * The cache client is loaded only when the runner offers the service (the
 * variables @actions/cache checks): loading it costs a noticeable part of a
 * warm build's time, for nothing when there is no service.
 */
export async function loadCacheService(
  env: NodeJS.ProcessEnv = process.env,
): Promise<CacheStore | undefined> {
  if (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL) return undefined;
  const store = (await import("../../runtime/cache.js")).createCacheStore();
  return store.available ? store : undefined;
}
