import type { HttpRequest } from "../../runtime/http.js";
import { HttpRequestError, sendHttpRequest } from "../../runtime/http.js";
import { bodyExcerpt } from "./results.js";

/** How a poll is paced and bounded. */
export interface PollPace {
  /** From the start of one look to the start of the next (a slow look is followed at once). */
  intervalMs: number;
  /** What is left of the readiness budget, in ms. */
  remaining: () => number;
  signal: AbortSignal;
}

/**
 * The one polling loop of compose-test: looks until `done` says so, the run
 * is cancelled or the budget is spent, and returns the last look. Looks at
 * least once, even with the budget used up, so that a failure can say what it
 * saw.
 */
export async function pollUntil<T>(
  look: () => Promise<T>,
  done: (seen: T) => boolean,
  pace: PollPace,
): Promise<T> {
  for (;;) {
    const started = performance.now();
    const seen = await look();
    if (done(seen) || pace.signal.aborted || pace.remaining() <= 0) return seen;
    await sleep(
      Math.min(Math.max(0, pace.intervalMs - (performance.now() - started)), pace.remaining()),
      pace.signal,
    );
  }
}

/** What a readiness probe sends, and which statuses mean ready. */
export interface ReadinessProbe {
  request: Omit<HttpRequest, "signal">;
  accept: (status: number) => boolean;
}

export interface ProbeResult {
  ready: boolean;
  /** `GET http://127.0.0.1:49153/health`. */
  what: string;
  /** The last answer or error, for the message when it never became ready. */
  last: string | undefined;
}

/** Sends the probe every `pace.intervalMs` until a status it accepts comes back. */
export function probeUntilReady(probe: ReadinessProbe, pace: PollPace): Promise<ProbeResult> {
  const what = `${probe.request.method} ${probe.request.url}`;
  const send = async (): Promise<ProbeResult> => {
    try {
      const response = await sendHttpRequest({
        ...probe.request,
        // The request's own timeout, but never much past the budget (at least a second to answer at all).
        timeoutMs: Math.max(1, Math.min(probe.request.timeoutMs, Math.max(pace.remaining(), 1_000))),
        signal: pace.signal,
      });
      if (probe.accept(response.status)) return { ready: true, what, last: String(response.status) };
      return { ready: false, what, last: `${response.status} ${bodyExcerpt(response.body, 80)}` };
    } catch (error) {
      const last = error instanceof HttpRequestError ? error.message.replace(`${what}: `, "") : String(error);
      return { ready: false, what, last };
    }
  };
  return pollUntil(send, (result) => result.ready, pace);
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
