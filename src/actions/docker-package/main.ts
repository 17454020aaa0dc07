import { readArtifactRetention } from "../../options/artifact.js";
import { readDockerPackageOptions } from "../../options/docker-package.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { readGitHubRunContext } from "../../runtime/run-context.js";
import { StateKey } from "../../runtime/state.js";
import { packageOutputs } from "../../stages/docker-package/report.js";
import { runPackageStage } from "../../stages/docker-package/stage.js";
import { artifactServiceOf } from "../artifact-service.js";
import { requireStageOk, runActionEntry } from "../entry.js";
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
    artifacts: artifactServiceOf(context, readArtifactRetention(sources.door)),
    state: gitHubState,
    signal: cancel.signal,
  });
  requireStageOk(result);
  if (result.packaged)
    for (const [name, value] of Object.entries(packageOutputs(result.packaged)))
      reporter.setOutput(name, value);
});
