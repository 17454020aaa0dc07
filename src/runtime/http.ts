import { Buffer } from "node:buffer";
import { type IncomingMessage, request as sendOverHttp } from "node:http";
import { request as sendOverHttps } from "node:https";
import type { HttpResponse } from "../rules/assert/failure.js";
import type { HeaderField } from "../rules/spec/spec.js";

/** A concrete request: absolute URL, final headers and body. */
export interface HttpRequest {
  method: string;
  url: string;
  /** Sent as separate lines in this order, repeated names included; Host, when given, replaces the URL's. */
  headers: readonly HeaderField[];
  /** Sent whatever the method, as curl sends `-X GET -d ...`. */
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

/** fetch's limit, which the runtime used before; curl's is 50. */
const MAX_REDIRECTS = 20;
// Methods Node would send a body-less request of with `Transfer-Encoding: chunked`; they get `Content-Length: 0`.
const METHODS_WITHOUT_BODY = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

/** One request of an exchange: the first, or one a redirect leads to. */
interface Hop {
  method: string;
  url: URL;
  headers: readonly HeaderField[];
  body: string | undefined;
}

interface HopResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request with node:http(s) and reads the whole response, timed
 * from the first byte sent to the last byte read, redirects included. The
 * request goes out as written, which fetch does not allow: every header line
 * (repeats, Host), a body on any method. Header names come back lower-case,
 * as the assertion rules expect.
 */
export async function sendHttpRequest(request: HttpRequest): Promise<HttpResponse> {
  const deadline = startRequestDeadline(request.timeoutMs, request.signal);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    let hop: Hop = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: request.body,
    };
    for (let redirects = 0; ; redirects++) {
      const response = await exchange(hop, deadline.signal);
      const location = response.headers.location;
      if (!request.followRedirects || !isRedirect(response.status) || location === undefined) {
        return { ...response, durationMs: elapsed() };
      }
      if (redirects === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      hop = redirectedHop(hop, response.status, location);
    }
  } catch (error) {
    const timedOut = deadline.timedOut();
    const reason = timedOut
      ? `no response within ${request.timeoutMs} ms`
      : request.signal?.aborted
        ? "aborted (the run was cancelled)"
        : describeRequestError(error);
    throw new HttpRequestError(`${request.method} ${request.url}: ${reason}`, elapsed(), timedOut);
  } finally {
    deadline.clear();
  }
}

/** One request and its whole response; rejects with the signal's reason once it aborts. */
function exchange(hop: Hop, signal: AbortSignal): Promise<HopResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const send = hop.url.protocol === "https:" ? sendOverHttps : sendOverHttp;
    // A fresh connection per request, as curl makes: no pooled socket the server may have closed meanwhile.
    const outgoing = send(
      hop.url,
      { method: hop.method, headers: headerLines(hop), agent: false },
      (incoming) => readResponse(incoming).then(resolve, reject),
    );
    const onAbort = () => {
      reject(signal.reason);
      outgoing.destroy();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    outgoing.on("close", () => signal.removeEventListener("abort", onAbort));
    outgoing.on("error", reject);
    outgoing.end(hop.body === undefined ? undefined : Buffer.from(hop.body, "utf8"));
  });
}

/** The raw header lines: Host and Content-Length unless the request gives them, then its own, in order. */
function headerLines(hop: Hop): string[] {
  const has = (name: string) => hop.headers.some((header) => header.name.toLowerCase() === name);
  const lines: string[] = [];
  if (!has("host")) lines.push("Host", hop.url.host);
  const length = hop.body === undefined ? 0 : Buffer.byteLength(hop.body, "utf8");
  if (!has("content-length") && (hop.body !== undefined || !METHODS_WITHOUT_BODY.has(hop.method))) {
    lines.push("Content-Length", String(length));
  }
  for (const header of hop.headers) lines.push(header.name, header.value);
  return lines;
}

function readResponse(incoming: IncomingMessage): Promise<HopResponse> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    let body = "";
    incoming.on("data", (chunk: Buffer) => {
      // Read to the end (the exchange is timed to its last byte), keep no more than the cap.
      if (body.length < MAX_BODY_CHARACTERS) body += decoder.decode(chunk, { stream: true });
    });
    incoming.on("end", () => {
      if (body.length < MAX_BODY_CHARACTERS) body += decoder.decode();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      resolve({ status: incoming.statusCode ?? 0, headers, body: body.slice(0, MAX_BODY_CHARACTERS) });
    });
    incoming.on("error", reject);
    incoming.on("close", () => {
      if (!incoming.complete)
        reject(new Error("the other side closed the connection before the response ended"));
    });
  });
}

function isRedirect(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

/**
 * The request a redirect leads to, as fetch and curl -L make it: 303 (and
 * 301/302 after a POST) becomes a GET without the body; credentials, cookies
 * and a Host of the spec's own go only to the origin they were written for.
 */
function redirectedHop(hop: Hop, status: number, location: string): Hop {
  const url = new URL(location, hop.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`redirected to ${url.href}, which is not an http:// or https:// URL`);
  }
  const toGet =
    status === 303 ? hop.method !== "HEAD" : (status === 301 || status === 302) && hop.method === "POST";
  const dropped = new Set<string>();
  if (toGet) for (const name of ["content-type", "content-length", "content-encoding"]) dropped.add(name);
  if (url.origin !== hop.url.origin)
    for (const name of ["authorization", "cookie", "host"]) dropped.add(name);
  return {
    method: toGet ? "GET" : hop.method,
    url,
    headers: hop.headers.filter((header) => !dropped.has(header.name.toLowerCase())),
    body: toGet ? undefined : hop.body,
  };
}

/**
 * What happened, in words: the connection refused (ECONNREFUSED), closed
 * before an answer, reset, a name not found. Node gives "socket hang up" for
 * a server that closes without answering, and an AggregateError without a
 * message when every address of a name refused.
 */
export function describeRequestError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (error.message === "socket hang up")
    return "the other side closed the connection before answering (ECONNRESET)";
  const message =
    error instanceof AggregateError && error.message === ""
      ? [
          ...new Set(
            error.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner))),
          ),
        ].join("; ")
      : error.message;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
