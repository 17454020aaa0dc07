import { ConfigurationError } from "../../errors.js";
import { applyCaptures } from "../../rules/assert/capture.js";
import { evaluateExpectation } from "../../rules/assert/expectation.js";
import type { AssertionFailure, HttpResponse } from "../../rules/assert/failure.js";
import { requestUrl } from "../../rules/compose/index.js";
import { interpolateExpectation, interpolateRequest } from "../../rules/spec/interpolation.js";
import type { Expectation, ResolvedRequest, SpecTest } from "../../rules/spec/spec.js";
import { HttpRequestError, sendHttpRequest } from "../../runtime/http.js";
import { sleep } from "./polling.js";
import { bodyExcerpt, type EnvironmentProblem, type SpecTestResult } from "./results.js";
import type { SpecRunShared } from "./spec-run-shared.js";

interface RequestOutcome {
  failures: AssertionFailure[];
  error: string | undefined;
  /** An error retrying cannot fix (an undefined variable). */
  fatal: boolean;
  requestLine: string | undefined;
  bodyStart: string | undefined;
  captured: Record<string, string>;
}

/** One test: interpolate, send, check, capture; retried as its `retry` says. */
export async function runTest(
  test: SpecTest,
  vars: Record<string, string>,
  endpoints: ReadonlyMap<string, string>,
  shared: SpecRunShared,
): Promise<SpecTestResult> {
  if (shared.signal.aborted) return skippedTest(test, "cancelled");
  if (test.skip !== undefined) return skippedTest(test, test.skip.reason ?? "skip: true");
  const started = performance.now();
  const retries = test.retry?.retries ?? 0;
  let attempts = 0;
  let outcome: RequestOutcome;
  for (;;) {
    attempts++;
    outcome = await attemptRequest(test, vars, endpoints, shared);
    const passed = outcome.error === undefined && outcome.failures.length === 0;
    if (passed) Object.assign(vars, outcome.captured);
    if (passed || outcome.fatal || attempts > retries || shared.signal.aborted) break;
    await sleep(test.retry?.intervalMs ?? 0, shared.signal);
  }
  const passed = outcome.error === undefined && outcome.failures.length === 0;
  // A request cut short by cancellation says nothing about the service.
  if (!passed && shared.signal.aborted) return skippedTest(test, "cancelled");
  return {
    name: test.name,
    outcome: passed ? "passed" : "failed",
    allowedToFail: test.continueOnError,
    durationMs: Math.round(performance.now() - started),
    attempts,
    failures: outcome.failures,
    error: outcome.error,
    requestLine: outcome.requestLine,
    bodyStart: passed ? undefined : outcome.bodyStart,
    skipReason: undefined,
    location: test.location,
  };
}

async function attemptRequest(
  test: SpecTest,
  vars: Readonly<Record<string, string>>,
  endpoints: ReadonlyMap<string, string>,
  shared: SpecRunShared,
): Promise<RequestOutcome> {
  const outcome: RequestOutcome = {
    failures: [],
    error: undefined,
    fatal: false,
    requestLine: undefined,
    bodyStart: undefined,
    captured: {},
  };
  let resolved: ResolvedRequest;
  let url: string;
  try {
    resolved = interpolateRequest(test.request, vars, shared.env);
    url = requestUrl(resolved, endpoints);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { ...outcome, error: error.message, fatal: true };
  }
  outcome.requestLine = `${resolved.method} ${url}`;
  let response: HttpResponse;
  try {
    response = await sendHttpRequest({
      method: resolved.method,
      url,
      headers: resolved.headers,
      body: resolved.body,
      timeoutMs: resolved.timeoutMs,
      followRedirects: resolved.followRedirects,
      signal: shared.signal,
    });
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    return { ...outcome, error: `no response: ${error.message}` };
  }
  outcome.bodyStart = bodyExcerpt(response.body);
  let expect: Expectation;
  try {
    expect = interpolateExpectation(test.expect, vars, shared.env, `test "${test.name}"`);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { ...outcome, error: error.message, fatal: true };
  }
  outcome.failures = evaluateExpectation(expect, response);
  if (outcome.failures.length === 0 && test.capture.length > 0) {
    const captures = applyCaptures(test.capture, response);
    outcome.failures = captures.failures;
    outcome.captured = captures.values;
  }
  return outcome;
}

export function skippedTest(test: SpecTest, reason: string): SpecTestResult {
  return { ...emptyTest(test), outcome: "skipped", skipReason: reason };
}

/** The file's problem is reported once, at the file; each test only says why it did not run. */
export function notRunTest(test: SpecTest, phase: EnvironmentProblem["phase"]): SpecTestResult {
  const why = phase === "setup" ? "a setup step failed" : "the environment did not become ready";
  return { ...emptyTest(test), outcome: "failed", allowedToFail: false, error: `not run: ${why}` };
}

function emptyTest(test: SpecTest): SpecTestResult {
  return {
    name: test.name,
    outcome: "skipped",
    allowedToFail: test.continueOnError,
    durationMs: 0,
    attempts: 0,
    failures: [],
    error: undefined,
    requestLine: undefined,
    bodyStart: undefined,
    skipReason: undefined,
    location: test.location,
  };
}
