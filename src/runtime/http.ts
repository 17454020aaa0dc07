import type { HttpResponse } from "../rules/assert/failure.js";

/** A concrete request: absolute URL, final headers and body. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string | undefined;
  /** The whole exchange, body included, is given up after this long. */
  timeoutMs: number;
  followRedirects: boolean;
  /** Aborts the request early (a cancelled run). */
  signal?: AbortSignal;
}

/** No response at all: refused, reset, timed out, aborted. `durationMs` is how long it took to fail. */
export class HttpRequestError extends Error {
  override readonly name = "HttpRequestError";
  constructor(
    message: string,
    readonly durationMs: number,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

// A body this large is a bug in the service or the spec; keeping it whole would only fill the memory.
const MAX_BODY_CHARACTERS = 8 * 1024 * 1024;

/**
 * A request's time limit and cancellation as one signal, held by a ref'd
 * timer. AbortSignal.timeout's timer is unref'd: while a request waits on a
 * socket the server closed (a published port nothing listens on yet), Node 20
 * has no other handle, the event loop drains and the process exits 0 in the
 * middle of the request. The timer keeps the process alive until the request
 * settles or its time is up, on every Node line.
 */
export interface RequestDeadline {
  readonly signal: AbortSignal;
  /** Whether the time ran out (as opposed to the caller's signal). */
  timedOut(): boolean;
  /** Releases the timer; call it once the response is read. */
  clear(): void;
}

export function startRequestDeadline(timeoutMs: number, cancel?: AbortSignal): RequestDeadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`no response within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  const onCancel = () => controller.abort(cancel?.reason);
  if (cancel?.aborted) onCancel();
  else cancel?.addEventListener("abort", onCancel, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    clear: () => {
      clearTimeout(timer);
      cancel?.removeEventListener("abort", onCancel);
    },
  };
}

/**
 * Sends one request with fetch and reads the whole response, timed from the
 * first byte sent to the last byte read. Header names come back lower-case
 * (fetch's Headers), as the assertion rules expect.
 */
export async function sendHttpRequest(request: HttpRequest): Promise<HttpResponse> {
  const deadline = startRequestDeadline(request.timeoutMs, request.signal);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: request.followRedirects ? "follow" : "manual",
      signal: deadline.signal,
    });
    let body = await response.text();
    if (body.length > MAX_BODY_CHARACTERS) body = body.slice(0, MAX_BODY_CHARACTERS);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body, durationMs: elapsed() };
  } catch (error) {
    const timedOut = deadline.timedOut();
    const reason = timedOut
      ? `no response within ${request.timeoutMs} ms`
      : request.signal?.aborted
        ? "aborted (the run was cancelled)"
        : describeFetchError(error);
    throw new HttpRequestError(`${request.method} ${request.url}: ${reason}`, elapsed(), timedOut);
  } finally {
    deadline.clear();
  }
}

/** fetch says only "fetch failed"; the cause holds what happened (ECONNREFUSED, "other side closed"). */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return error.message;
}
