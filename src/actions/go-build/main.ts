import { readArtifactRetention } from "../../options/artifact.js";
import { readGoBuildOptions } from "../../options/go-build.js";
import type { ArtifactStore } from "../../runtime/artifact.js";
import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { removeContainersOnCancel } from "../../runtime/go-container.js";
import { readGitHubRunContext } from "../../runtime/run-context.js";
import { StateKey } from "../../runtime/state.js";
import { buildOutputs, runBuildStage } from "../../stages/go-build/stage.js";
import { runActionEntry } from "../entry.js";
import { readActionOptionSources } from "../option-sources.js";
import { loadCacheService } from "./cache-service.js";

runActionEntry("go-build", async (reporter) => {
  gitHubState.save(StateKey.mainStarted, "true");
  const context = readGitHubRunContext();
  const sources = readActionOptionSources(context);
  const options = readGoBuildOptions(sources);
  const artifactSettings = readArtifactRetention(sources.door);
  const docker = new Docker();
  const cancellation = new AbortController();
  const result = await runBuildStage(options, {
    reporter,
    docker,
    context,
    cache: await loadCacheService(),
    artifacts: async (): Promise<ArtifactStore> =>
      (await import("../../runtime/artifact.js")).createArtifactStore(
        process.env,
        context.tempDir,
        artifactSettings,
      ),
    state: gitHubState,
    signal: cancellation.signal,
    onRunId: (runId) =>
      removeContainersOnCancel(docker, runId, {
        controller: cancellation,
        onCancel: (signal) => reporter.warning(`${signal}: removing this run's containers`),
      }),
  }).catch(async (error: unknown) => {
    // Cancelled: the aborted commands' errors are not the story; the signal handler exits once the containers are gone.
    if (cancellation.signal.aborted) await new Promise(() => undefined);
    throw error;
  });
  for (const [name, value] of Object.entries(buildOutputs(result))) reporter.setOutput(name, value);
  if (!result.success) throw new Error(result.failure);
});
