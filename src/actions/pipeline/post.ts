import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { StateKey } from "../../runtime/state.js";
import { cleanUpComposeTest } from "../../stages/compose-test/stage.js";
import { logoutRegistry } from "../../stages/docker-package/stage.js";
import { saveGoCache } from "../../stages/go-build/cache.js";
import { runActionEntry } from "../entry.js";
import { loadCacheService } from "../go-build/cache-service.js";

/**
 * Always runs (post-if: always()): tears down what a cancelled run left up,
 * logs out of the registry, and saves the Go caches only when every stage passed.
 */
runActionEntry("goflow post", async (reporter) => {
  const docker = new Docker();
  await cleanUpComposeTest(docker, gitHubState, reporter);
  const registry = gitHubState.get(StateKey.registryLogin);
  if (registry) await logoutRegistry(docker, registry, reporter);
  if (gitHubState.get(StateKey.pipelineSucceeded) === "true")
    await saveGoCache(gitHubState, { reporter, service: () => loadCacheService() });
});
