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
 * Sends one request with fetch and reads the whole response, timed from the
 * first byte sent to the last byte read. Header names come back lower-case
 * (fetch's Headers), as the assertion rules expect.
 */
export async function sendHttpRequest(request: HttpRequest): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: request.followRedirects ? "follow" : "manual",
      signal,
    });
    let body = await response.text();
    if (body.length > MAX_BODY_CHARACTERS) body = body.slice(0, MAX_BODY_CHARACTERS);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body, durationMs: elapsed() };
  } catch (error) {
    const timedOut = timeout.aborted;
    const reason = timedOut
      ? `no response within ${request.timeoutMs} ms`
      : request.signal?.aborted
        ? "aborted (the run was cancelled)"
        : describeFetchError(error);
    throw new HttpRequestError(`${request.method} ${request.url}: ${reason}`, elapsed(), timedOut);
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
