import type { GoContainer } from "../../runtime/go-container.js";
import { describeFailure, ProcessError, type ProcessResult } from "../../runtime/process.js";
import type { Reporter } from "../../runtime/reporter.js";

/** GitHub's own job limit; the job's timeout-minutes is the real one. */
export const STEP_TIMEOUT_MS = 6 * 60 * 60_000;

/** A step that failed for a reason already reported (annotations, log); stops the steps after it. */
export class StepFailure extends Error {}

export interface GoCallOptions {
  env?: Record<string, string>;
  onStdout?: (chunk: string) => void;
}

/**
 * Runs a Go command in the builder with its stderr (and, unless `onStdout`
 * takes it, stdout) streamed to the log, line by line; returns the result
 * whatever the exit code. Docker's own failures throw (GoContainer.run).
 */
export async function runGo(
  go: GoContainer,
  args: string[],
  reporter: Reporter,
  options: GoCallOptions = {},
): Promise<ProcessResult> {
  const echo = lineSplitter((line) => reporter.info(line));
  const result = await go.run(args, {
    env: options.env,
    timeoutMs: STEP_TIMEOUT_MS,
    onStdout: options.onStdout ?? echo.push,
    onStderr: echo.push,
  });
  echo.flush();
  return result;
}

/** Runs a Go command and throws a ProcessError unless it exits 0 (or with an allowed code). */
export async function checkedGo(
  go: GoContainer,
  args: string[],
  options: { allowExitCodes?: number[]; timeoutMs: number },
): Promise<ProcessResult> {
  const result = await go.run(args, { timeoutMs: options.timeoutMs });
  if (result.exitCode !== 0 && !options.allowExitCodes?.includes(result.exitCode)) {
    throw new ProcessError(describeFailure(result), result);
  }
  return result;
}

/** Calls `onLine` for every whole line of a stream; `flush` hands over the unterminated rest. */
export function lineSplitter(onLine: (line: string) => void): {
  push: (chunk: string) => void;
  flush: () => void;
} {
  let pending = "";
  return {
    push: (chunk) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line.replace(/\r$/, ""));
    },
    flush: () => {
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}
