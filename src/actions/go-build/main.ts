import { readArtifactRetention } from "../../options/artifact.js";
import { readGoBuildOptions } from "../../options/go-build.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { readGitHubRunContext } from "../../runtime/run-context.js";
import { StateKey } from "../../runtime/state.js";
import { buildOutputs, runBuildStage } from "../../stages/go-build/stage.js";
import { artifactServiceOf } from "../artifact-service.js";
import { requireStageOk, runActionEntry } from "../entry.js";
import { readActionOptionSources } from "../option-sources.js";
import { loadCacheService } from "./cache-service.js";

runActionEntry("go-build", async (reporter) => {
  gitHubState.save(StateKey.mainStarted, "true");
  const context = readGitHubRunContext();
  const sources = readActionOptionSources(context);
  const options = readGoBuildOptions(sources);
  const docker = new Docker();
  const cancel = cancelOnSignals((signal) => reporter.warning(`${signal}: removing this run's containers`));
  const result = await runBuildStage(options, {
    reporter,
    docker,
    context,
    state: gitHubState,
    signal: cancel.signal,
    cache: await loadCacheService(),
    artifacts: artifactServiceOf(context, readArtifactRetention(sources.door)),
  });
  for (const [name, value] of Object.entries(buildOutputs(result))) reporter.setOutput(name, value);
  requireStageOk(result);
});
