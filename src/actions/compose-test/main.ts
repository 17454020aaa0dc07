import { readComposeTestOptions } from "../../options/compose-test.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { readGitHubRunContext } from "../../runtime/run-context.js";
import { StateKey } from "../../runtime/state.js";
import { composeTestOutputs, runComposeTestStage } from "../../stages/compose-test/stage.js";
import { requireStageOk, runActionEntry } from "../entry.js";
import { readActionOptionSources } from "../option-sources.js";

runActionEntry("compose-test", async (reporter) => {
  gitHubState.save(StateKey.mainStarted, "true");
  const cancel = cancelOnSignals((signal) =>
    reporter.warning(`${signal} received: no new tests start; tearing down the environments`),
  );
  const context = readGitHubRunContext();
  const options = readComposeTestOptions(readActionOptionSources(context));
  const result = await runComposeTestStage(options, {
    reporter,
    docker: new Docker(),
    context,
    state: gitHubState,
    signal: cancel.signal,
  });
  for (const [name, value] of Object.entries(composeTestOutputs(result))) reporter.setOutput(name, value);
  requireStageOk(result);
});
