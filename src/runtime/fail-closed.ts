/**
 * The one guard every entry point (an action's main or post, a `goflow`
 * command) runs its stage under: the process may end with exit code 0 only
 * after the stage's promise settled. A stage that is still pending when the
 * event loop runs out of work (a request that holds no handle), or when
 * something calls `process.exit(0)` on its way, would otherwise end green
 * without having done its work.
 */
export interface FailClosedEntry {
  /** The step as users see it: "compose-test", "go-build post", "goflow test". */
  name: string;
  /** Writes the failure; called synchronously, possibly from the `exit` event. */
  fail(message: string): void;
}

/** EX_SOFTWARE (sysexits.h): an internal error, distinct from a failed stage's 1. */
export const ENDED_EARLY_EXIT_CODE = 70;

export function runFailClosed(entry: FailClosedEntry, body: () => Promise<void>): void {
  let settled = false;
  let reported = false;
  const endedEarly = (why: string) => {
    if (settled) return;
    if (!reported) {
      reported = true;
      entry.fail(describeEarlyEnd(entry.name, why, process.version));
    }
    process.exitCode = ENDED_EARLY_EXIT_CODE;
  };
  // Emitted when the loop is empty (never after process.exit): the stage's promise can no longer settle.
  process.on("beforeExit", () => endedEarly("the process ran out of work while the stage was still running"));
  process.on("exit", (code) => {
    // A non-zero exit before the stage settled is a cancellation or a crash, already failing and reported.
    if (code === 0) endedEarly("something ended the process with exit code 0 before the stage returned");
  });
  body().then(
    () => {
      settled = true;
    },
    (error: unknown) => {
      settled = true;
      process.exitCode = 1;
      entry.fail(`${entry.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    },
  );
}

export function describeEarlyEnd(name: string, why: string, nodeVersion: string): string {
  return [
    `${name} ended before its stage finished: ${why}.`,
    "Nothing it reported can be trusted as a result, so the step fails.",
    "This is a bug in goflow-actions, not in your project: please open an issue with this log",
    `(with debug logging on: ACTIONS_STEP_DEBUG=true, or GOFLOW_DEBUG=1 for the CLI), the goflow-actions version or commit, and the Node version (${nodeVersion}).`,
  ].join(" ");
}
