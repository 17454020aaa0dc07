/**
 * Cancellation of a run: GitHub cancels a job with SIGINT, then SIGTERM (and
 * kills it some seconds later); a terminal's Ctrl-C is SIGINT. The first of
 * them aborts the signal the stages take, and says so once; the stages then
 * start nothing new and tear down what is up, and the step fails.
 */
export interface Cancellation {
  signal: AbortSignal;
  /** Uninstalls the handlers (the CLI's commands run in one process, one after another). */
  dispose(): void;
}

export function cancelOnSignals(onCancel?: (signal: NodeJS.Signals) => void): Cancellation {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    onCancel?.(signal);
    controller.abort(new Error(`cancelled (${signal})`));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
