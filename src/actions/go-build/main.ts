import type { ArtifactStore } from "../../runtime/artifact.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import { readGitHubRunContext } from "../../runtime/run-context.js";
import { gitHubState, StateKey } from "../../runtime/state.js";
import { buildOutputs, runBuildStage } from "../../stages/go-build/stage.js";
import { runActionEntry } from "../entry.js";
import { readProjectGitflowSettings } from "../gitflow-inputs.js";
import { readArtifactSettings, runnerInputs, setInputSource, withFallback } from "../inputs.js";
import { loadActionProjectConfig } from "../project-config.js";
import { loadCacheService } from "./cache-service.js";
import { readBuildOptions } from "./inputs.js";

runActionEntry("go-build", async (reporter) => {
  gitHubState.save(StateKey.mainStarted, "true");
  const context = readGitHubRunContext();
  const config = loadActionProjectConfig(context);
  const gitflow = readProjectGitflowSettings(config.package, runnerInputs);
  setInputSource(withFallback(runnerInputs, config.build));
  const options = readBuildOptions(context, process.env, gitflow);
  const artifactSettings = readArtifactSettings();
  const docker = new Docker();
  const cancel = cancelOnSignals((signal) => reporter.warning(`${signal}: removing this run's containers`));
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
    signal: cancel.signal,
  }).catch((error: unknown) => {
    // The aborted command's own error is not the story; the stage removed its container before it threw.
    if (cancel.signal.aborted) throw new Error("cancelled: go-build stopped before its work finished");
    throw error;
  });
  for (const [name, value] of Object.entries(buildOutputs(result))) reporter.setOutput(name, value);
  if (!result.success) throw new Error(result.failure);
});
