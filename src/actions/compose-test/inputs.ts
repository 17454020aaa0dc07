import type { RunContext } from "../../runtime/run-context.js";
import { buildComposeTestOptions, type ComposeTestOptions } from "../../stages/compose-test/options.js";
import { readBooleanInput, readInput, readListInput } from "../inputs.js";

/** INPUT_* → the compose-test stage's options. */
export function readComposeTestOptions(context: RunContext): ComposeTestOptions {
  return buildComposeTestOptions(
    {
      workingDirectory: readInput("working-directory"),
      composeFiles: readListInput("compose-file"),
      tests: readListInput("tests"),
      images: readInput("images"),
      env: readInput("env"),
      parallel: readInput("parallel"),
      shard: readInput("shard"),
      isolate: readBooleanInput("isolate", true),
      waitTimeout: readInput("wait-timeout"),
      junitReport: readInput("junit-report"),
      logsDir: readInput("logs-dir"),
      keepOnFailure: readBooleanInput("keep-on-failure", false),
      stopTimeout: readInput("stop-timeout"),
      externalNetworks: readInput("external-networks"),
    },
    context.workspace,
  );
}
