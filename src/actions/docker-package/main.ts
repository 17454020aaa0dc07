import { readArtifactRetention } from "../../options/artifact.js";
import { readDockerPackageOptions } from "../../options/docker-package.js";
import { createArtifactStore } from "../../runtime/artifact.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { readGitHubRunContext } from "../../runtime/run-context.js";
import { StateKey } from "../../runtime/state.js";
import { packageOutputs } from "../../stages/docker-package/report.js";
import { runPackageStage } from "../../stages/docker-package/stage.js";
import { runActionEntry } from "../entry.js";
import { readActionOptionSources } from "../option-sources.js";

runActionEntry("docker-package", async (reporter) => {
  gitHubState.save(StateKey.mainStarted, "true");
  const context = readGitHubRunContext();
  const sources = readActionOptionSources(context);
  const options = readDockerPackageOptions(sources);
  const cancel = cancelOnSignals((signal) => reporter.warning(`${signal} received: stopping docker`));
  const result = await runPackageStage(options, {
    reporter,
    docker: new Docker(),
    context,
    artifacts: createArtifactStore(process.env, context.tempDir, readArtifactRetention(sources.door)),
    state: gitHubState,
    signal: cancel.signal,
  }).catch((error: unknown) => {
    // The aborted command's own error is not the story.
    if (cancel.signal.aborted) throw new Error("cancelled: docker-package stopped before its work finished");
    throw error;
  });
  for (const [name, value] of Object.entries(packageOutputs(result))) reporter.setOutput(name, value);
});
