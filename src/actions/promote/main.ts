import { tmpdir } from "node:os";
import { environmentInputs } from "../../options/input-source.js";
import { readPromoteOptions } from "../../options/promote.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { promoteOutputs, renderPromoteSummary } from "../../stages/promote/report.js";
import { runPromoteStage } from "../../stages/promote/stage.js";
import { requireStageOk, runActionEntry } from "../entry.js";

runActionEntry("promote", async (reporter) => {
  const options = readPromoteOptions(environmentInputs(process.env), process.env);
  if (options.credentials) reporter.setSecret(options.credentials.password);
  if (options.gitops?.token) reporter.setSecret(options.gitops.token);
  const cancel = cancelOnSignals((signal) => reporter.warning(`${signal} received: stopping the promotion`));
  const result = await runPromoteStage(options, {
    reporter,
    tempDir: process.env.RUNNER_TEMP || tmpdir(),
    signal: cancel.signal,
  });
  requireStageOk(result);
  for (const [name, value] of Object.entries(promoteOutputs(result))) reporter.setOutput(name, value);
  await reporter.appendSummary(renderPromoteSummary(options.environment, result));
});
