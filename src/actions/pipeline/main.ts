import { readPipelineOptions } from "../../options/pipeline.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { readGitHubRunContext } from "../../runtime/run-context.js";
import { StateKey } from "../../runtime/state.js";
import { pipelineOutputs, runPipelineStage } from "../../stages/pipeline/stage.js";
import { artifactServiceOf } from "../artifact-service.js";
import { requireStageOk, runActionEntry } from "../entry.js";
import { loadCacheService } from "../go-build/cache-service.js";
import { readActionOptionSources } from "../option-sources.js";

/** The root action: build → package → integration test → publish in one step. */
runActionEntry("goflow", async (reporter) => {
  gitHubState.save(StateKey.mainStarted, "true");
  const context = readGitHubRunContext();
  const options = readPipelineOptions(readActionOptionSources(context), true);
  const docker = new Docker();
  // A cancelled job gets SIGINT, then SIGTERM: stop starting work; the stages tear down what is up
  // and the build's containers are removed by their label. Post removes whatever survives.
  let buildRunId: string | undefined;
  const cancel = cancelOnSignals((signal) => {
    reporter.warning(`${signal} received: stopping; removing this run's containers and environments`);
    if (buildRunId) void docker.removeLabelled(buildRunId);
  });
  const result = await runPipelineStage(options, {
    reporter,
    docker,
    context,
    state: gitHubState,
    cache: await loadCacheService(),
    artifacts: artifactServiceOf(context),
    signal: cancel.signal,
    onRunId: (runId) => {
      buildRunId = runId;
    },
  });
  for (const [name, value] of Object.entries(pipelineOutputs(result))) reporter.setOutput(name, value);
  requireStageOk(result);
  gitHubState.save(StateKey.pipelineSucceeded, "true");
});
