import { gitHubState } from "../../runtime/github-state.js";
import { saveGoCache } from "../../stages/go-build/cache.js";
import { runActionEntry } from "../entry.js";
import { loadCacheService } from "./cache-service.js";

/** Runs only when the job succeeded (post-if: success()): saves the Go caches main restored. */
runActionEntry("go-build post", async (reporter) => {
  await saveGoCache(gitHubState, { reporter, service: () => loadCacheService() });
});
