import type { SourceLocation } from "../../errors.js";
import type { JsonPath } from "../assert/json-path.js";

/**
 * The typed form of a compose-test spec file. Everything that can fail or be
 * reported keeps the `SourceLocation` of its YAML node, so a failed matcher or
 * an unknown service can be annotated on the exact line that declared it.
 * Strings that may hold `${{ }}` templates are kept raw; they are filled in
 * per run by `interpolateRequest`.
 */
export interface Spec {
  file: string;
  name: string | undefined;
  /** The default target of requests given as a path. */
  target: ServiceTarget | undefined;
  wait: WaitSpec | undefined;
  setup: readonly SpecStep[];
  teardown: readonly SpecStep[];
  /** In file order; they run in this order and share captures. */
  tests: readonly SpecTest[];
}

/** A compose service and one of its container ports (`goauth:9000`). */
export interface ServiceTarget {
  service: string;
  port: number;
  location: SourceLocation;
}

/**
 * Readiness polling: `request` is repeated every `intervalMs` until its status
 * matches or `timeoutMs` passes; either is undefined when the spec leaves it to
 * the runner (its wait-timeout input and its own poll interval).
 */
export interface WaitSpec {
  request: HttpRequestSpec;
  status: StatusExpectation;
  timeoutMs: number | undefined;
  intervalMs: number | undefined;
  location: SourceLocation;
}

/** A setup or teardown step: a command run with `docker compose exec` (an argument array, never a shell). */
export interface SpecStep {
  kind: "exec";
  service: string;
  command: readonly string[];
  location: SourceLocation;
}

export interface SpecTest {
  name: string;
  request: HttpRequestSpec;
  expect: Expectation;
  capture: readonly CaptureSpec[];
  retry: RetryPolicy | undefined;
  /** Set when the test is skipped; `reason` is the string given to `skip:`, if any. */
  skip: { reason: string | undefined } | undefined;
  continueOnError: boolean;
  location: SourceLocation;
}

/** Attempts after the first failing one; the test passes as soon as one attempt holds. */
export interface RetryPolicy {
  retries: number;
  intervalMs: number;
  location: SourceLocation;
}

/** Where a request goes: a path on a compose service, or an absolute URL used as written. */
export type RequestDestination =
  | { kind: "service"; target: ServiceTarget; path: string }
  | { kind: "url"; url: string };

/**
 * One `name=value` piece of a query string or url-encoded body. `encode` says
 * whether `value` (and `name`) still need percent-encoding: a `form:` field or
 * `--data-urlencode` does, curl's `-d` text is sent as written.
 */
export interface UrlEncodedPart {
  name: string | undefined;
  value: string;
  encode: boolean;
}

export type RequestBody =
  | { kind: "urlencoded"; parts: readonly UrlEncodedPart[] }
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string; contentType: string | undefined };

export interface HeaderField {
  name: string;
  value: string;
}

export interface BasicAuth {
  username: string;
  password: string;
}

/** A request as written in the spec (`request:`, `curl:` or `wait.request`), templates unresolved. */
export interface HttpRequestSpec {
  /** Upper-case. */
  method: string;
  destination: RequestDestination;
  headers: readonly HeaderField[];
  /** Appended to any query string already in the path or URL. */
  query: readonly UrlEncodedPart[];
  body: RequestBody | undefined;
  basicAuth: BasicAuth | undefined;
  timeoutMs: number | undefined;
  followRedirects: boolean;
  /** Who sends it, for messages: `test "Get token"` or `wait`. */
  label: string;
  location: SourceLocation;
}

/** The request after interpolation: concrete strings, ready to send. */
export interface ResolvedRequest {
  method: string;
  /** `path` includes the query string. */
  destination:
    | { kind: "service"; service: string; port: number; path: string }
    | { kind: "url"; url: string };
  /** Header lines in the order they are sent, names as written; a repeated name is sent once per entry. */
  headers: HeaderField[];
  body: string | undefined;
  timeoutMs: number;
  followRedirects: boolean;
}

/** `2xx` is stored as class 2. */
export interface StatusExpectation {
  codes: readonly number[];
  classes: readonly number[];
  location: SourceLocation;
}

/** One check on a text (a body or a header value); each keeps its own location. */
export type TextCheck =
  | { kind: "equals"; value: string; location: SourceLocation }
  | { kind: "contains"; value: string; location: SourceLocation }
  | { kind: "not-contains"; value: string; location: SourceLocation }
  | { kind: "matches"; pattern: string; regex: RegExp; location: SourceLocation };

export interface HeaderExpectation {
  /** Lower-case, as response header names are given to the evaluator. */
  name: string;
  /** `exists: false` asserts the header is absent; otherwise it must be present. */
  present: boolean;
  checks: readonly TextCheck[];
  location: SourceLocation;
}

export type JsonType = "string" | "number" | "boolean" | "object" | "array" | "null";

export type JsonCheck =
  | { kind: "equals"; value: unknown; location: SourceLocation }
  | { kind: "exists"; value: boolean; location: SourceLocation }
  | { kind: "type"; value: JsonType; location: SourceLocation }
  | { kind: "length"; value: number; location: SourceLocation }
  | { kind: "matches"; pattern: string; regex: RegExp; location: SourceLocation };

export interface JsonExpectation {
  path: JsonPath;
  checks: readonly JsonCheck[];
  location: SourceLocation;
}

export interface Expectation {
  status: StatusExpectation | undefined;
  headers: readonly HeaderExpectation[];
  body: readonly TextCheck[];
  json: readonly JsonExpectation[];
  /** Location of the `json:` mapping, where an unparseable body is reported. */
  jsonLocation: SourceLocation | undefined;
  maxDurationMs: { value: number; location: SourceLocation } | undefined;
  location: SourceLocation;
}

export type CaptureSource =
  | { kind: "body" }
  | { kind: "json"; path: JsonPath }
  | { kind: "header"; name: string }
  | { kind: "regex"; pattern: string; regex: RegExp };

export interface CaptureSpec {
  variable: string;
  source: CaptureSource;
  location: SourceLocation;
}

/** A compose service the spec refers to, so the caller can check it exists in the compose file. */
export interface ServiceReference {
  service: string;
  /** The container port for request targets; undefined for `exec` steps. */
  port: number | undefined;
  role: "target" | "exec";
  location: SourceLocation;
}

/** Every service reference in the spec, in file order, one per place it is written. */
export function specTargets(spec: Spec): ServiceReference[] {
  const references: ServiceReference[] = [];
  const seen = new Set<ServiceTarget>();
  const addTarget = (target: ServiceTarget): void => {
    // A default target is shared by many requests; report it once, where it is written.
    if (seen.has(target)) return;
    seen.add(target);
    references.push({
      service: target.service,
      port: target.port,
      role: "target",
      location: target.location,
    });
  };
  const addRequest = (request: HttpRequestSpec): void => {
    if (request.destination.kind === "service") addTarget(request.destination.target);
  };
  const addStep = (step: SpecStep): void => {
    references.push({ service: step.service, port: undefined, role: "exec", location: step.location });
  };
  if (spec.target !== undefined) addTarget(spec.target);
  if (spec.wait !== undefined) addRequest(spec.wait.request);
  for (const step of spec.setup) addStep(step);
  for (const test of spec.tests) addRequest(test.request);
  for (const step of spec.teardown) addStep(step);
  return references;
}
