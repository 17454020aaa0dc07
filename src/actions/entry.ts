import * as core from "@actions/core";
import { ConfigurationError } from "../errors.js";
import { runFailClosed } from "../runtime/fail-closed.js";
import { GitHubReporter } from "../runtime/github-reporter.js";
import { ProcessError } from "../runtime/process.js";
import type { Reporter } from "../runtime/reporter.js";
import type { StageOutcome } from "../stages/stage-contract.js";

/**
 * The one place where an action's errors become a failed step: a
 * ConfigurationError is the user's to fix (annotated at its file and line when
 * it has one); anything else says what was running and keeps the stack for
 * debug logs. The step ends with exit code 0 only once `body` returned (its
 * outputs written) without a failure: see runFailClosed.
 */
export function runActionEntry(name: string, body: (reporter: Reporter) => Promise<void>): void {
  const reporter = new GitHubReporter();
  runFailClosed({ name, fail: (message) => core.setFailed(message) }, async () => {
    try {
      await body(reporter);
    } catch (error) {
      reportFailure(name, error, reporter);
    }
  });
}

/** The step fails unless its stage's work ran and succeeded (a cancelled one says so). */
export function requireStageOk(outcome: StageOutcome): void {
  if (outcome.status !== "ok") throw new Error(outcome.failure ?? outcome.status);
}

export function reportFailure(name: string, error: unknown, reporter: Reporter): void {
  process.exitCode = 1;
  if (error instanceof ConfigurationError) {
    if (error.location) {
      reporter.annotate({
        severity: "error",
        title: `${name}: configuration`,
        message: error.message,
        location: error.location,
      });
      core.setFailed(`${name}: configuration error (see the annotation above)`);
    } else {
      core.setFailed(`${name}: ${error.message}`);
    }
    return;
  }
  if (error instanceof Error) {
    if (error.stack) reporter.debug(error.stack);
    const prefix = error instanceof ProcessError ? "a command failed: " : "";
    core.setFailed(`${name}: ${prefix}${error.message}`);
    return;
  }
  core.setFailed(`${name}: ${String(error)}`);
}
