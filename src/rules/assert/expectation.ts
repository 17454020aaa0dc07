import type { SourceLocation } from "../../errors.js";
import { formatDuration } from "../spec/duration.js";
import type { Expectation, JsonCheck, JsonExpectation, StatusExpectation, TextCheck } from "../spec/spec.js";
import type { AssertionFailure, HttpResponse } from "./failure.js";
import { evaluateJsonPath } from "./json-path.js";
import { classifyJsonType, isDeepEqualJson, renderJsonValue, shortenText } from "./json-value.js";

/**
 * Checks a response against every matcher of an expectation and returns all
 * that failed (not only the first), so one run shows everything to fix.
 */
export function evaluateExpectation(expect: Expectation, response: HttpResponse): AssertionFailure[] {
  const failures: AssertionFailure[] = [];
  if (expect.status !== undefined && !checkStatus(expect.status, response.status)) {
    failures.push({
      matcher: "status",
      expected: describeStatusExpectation(expect.status),
      actual: describeActualStatus(response),
      location: expect.status.location,
    });
  }
  for (const header of expect.headers) {
    const subject = `header ${header.name}`;
    const value = Object.hasOwn(response.headers, header.name) ? response.headers[header.name] : undefined;
    if (!header.present) {
      if (value !== undefined) {
        failures.push({
          matcher: subject,
          expected: "absent",
          actual: quote(value),
          location: header.location,
        });
      }
      continue;
    }
    if (value === undefined) {
      failures.push({ matcher: subject, expected: "present", actual: "absent", location: header.location });
      continue;
    }
    for (const check of header.checks) pushDefined(failures, evaluateTextCheck(check, value, subject));
  }
  for (const check of expect.body) pushDefined(failures, evaluateTextCheck(check, response.body, "body"));
  if (expect.json.length > 0) failures.push(...evaluateJsonExpectations(expect, response.body));
  const maxDuration = expect.maxDurationMs;
  if (maxDuration !== undefined && response.durationMs > maxDuration.value) {
    failures.push({
      matcher: "duration",
      expected: `at most ${formatDuration(maxDuration.value)}`,
      actual: formatDuration(response.durationMs),
      location: maxDuration.location,
    });
  }
  return failures;
}

/** Whether a status code is one of the codes or in one of the classes (`2xx`). */
export function checkStatus(expectation: StatusExpectation, status: number): boolean {
  return expectation.codes.includes(status) || expectation.classes.includes(Math.floor(status / 100));
}

/** `200`, `200 or 201`, `2xx or 404`. */
export function describeStatusExpectation(expectation: StatusExpectation): string {
  const forms = [...expectation.codes.map(String), ...expectation.classes.map((digit) => `${digit}xx`)];
  if (forms.length <= 1) return forms.join("");
  return `${forms.slice(0, -1).join(", ")} or ${forms.at(-1)}`;
}

function describeActualStatus(response: HttpResponse): string {
  // The body of an unexpected status usually says why (a stack trace, "user exists"); show its start.
  const body = response.body.trim();
  if (body === "") return String(response.status);
  return `${response.status} (body: ${quote(body.length > 100 ? `${body.slice(0, 100)}…` : body)})`;
}

/** One text matcher on a body or header value; undefined when it holds. */
export function evaluateTextCheck(
  check: TextCheck,
  text: string,
  subject: string,
): AssertionFailure | undefined {
  const location = check.location;
  switch (check.kind) {
    case "equals":
      if (text === check.value) return undefined;
      return { matcher: subject, expected: quote(check.value), actual: quote(text), location };
    case "contains":
      if (text.includes(check.value)) return undefined;
      return { matcher: `${subject} contains`, expected: quote(check.value), actual: quote(text), location };
    case "not-contains": {
      const at = text.indexOf(check.value);
      if (at < 0) return undefined;
      return {
        matcher: `${subject} not-contains`,
        expected: `no ${quote(check.value)}`,
        actual: `${quote(excerptAround(text, at, check.value.length))} (at character ${at + 1})`,
        location,
      };
    }
    case "matches":
      if (check.regex.test(text)) return undefined;
      return { matcher: `${subject} matches`, expected: `/${check.pattern}/`, actual: quote(text), location };
  }
}

function evaluateJsonExpectations(expect: Expectation, body: string): AssertionFailure[] {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    const location: SourceLocation = expect.jsonLocation ?? expect.location;
    const reason = (error as Error).message;
    const actual = body.trim() === "" ? "an empty body" : `invalid JSON (${reason}): ${quote(body)}`;
    return [{ matcher: "json", expected: "a JSON body", actual, location }];
  }
  return expect.json.flatMap((expectation) => evaluateJsonExpectation(expectation, document));
}

function evaluateJsonExpectation(expectation: JsonExpectation, document: unknown): AssertionFailure[] {
  const values = evaluateJsonPath(expectation.path, document);
  const subject = `json ${expectation.path.source}`;
  // A definite path (`$.a.b`) yields its one value; any other path yields the list of matches.
  const found: { value: unknown } | undefined = expectation.path.definite
    ? values.length > 0
      ? { value: values[0] }
      : undefined
    : { value: values };
  const failures: AssertionFailure[] = [];
  for (const check of expectation.checks) {
    pushDefined(failures, evaluateJsonCheck(check, found, values.length > 0, subject));
  }
  return failures;
}

function evaluateJsonCheck(
  check: JsonCheck,
  found: { value: unknown } | undefined,
  exists: boolean,
  subject: string,
): AssertionFailure | undefined {
  const location = check.location;
  if (check.kind === "exists") {
    if (exists === check.value) return undefined;
    return {
      matcher: `${subject} exists`,
      expected: check.value ? "a value" : "no value",
      actual: found === undefined || !exists ? "nothing" : renderJsonValue(found.value),
      location,
    };
  }
  const matcher = check.kind === "equals" ? subject : `${subject} ${check.kind}`;
  const expected = describeJsonCheck(check);
  if (found === undefined) return { matcher, expected, actual: "nothing at this path", location };
  const value = found.value;
  switch (check.kind) {
    case "equals":
      if (isDeepEqualJson(value, check.value)) return undefined;
      return { matcher, expected, actual: renderJsonValue(value), location };
    case "type": {
      const type = classifyJsonType(value);
      if (type === check.value) return undefined;
      return { matcher, expected, actual: `${type} ${renderJsonValue(value)}`, location };
    }
    case "length": {
      const length = measureJsonLength(value);
      if (length === check.value) return undefined;
      const actual =
        length === undefined
          ? `${classifyJsonType(value)} ${renderJsonValue(value)}, which has no length`
          : `${length} (${renderJsonValue(value)})`;
      return { matcher, expected, actual, location };
    }
    case "matches":
      if (typeof value === "string" && check.regex.test(value)) return undefined;
      return {
        matcher,
        expected,
        actual:
          typeof value === "string"
            ? quote(value)
            : `${classifyJsonType(value)} ${renderJsonValue(value)}, not a string`,
        location,
      };
  }
}

function describeJsonCheck(check: Exclude<JsonCheck, { kind: "exists" }>): string {
  switch (check.kind) {
    case "equals":
      return renderJsonValue(check.value);
    case "type":
      return check.value;
    case "length":
      return String(check.value);
    case "matches":
      return `/${check.pattern}/`;
  }
}

/** Characters of a string, items of an array, keys of an object. */
function measureJsonLength(value: unknown): number | undefined {
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (typeof value === "object" && value !== null) return Object.keys(value).length;
  return undefined;
}

function excerptAround(text: string, at: number, length: number): string {
  const start = Math.max(0, at - 40);
  const end = Math.min(text.length, at + length + 40);
  return `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
}

function quote(text: string): string {
  return shortenText(JSON.stringify(text));
}

function pushDefined(failures: AssertionFailure[], failure: AssertionFailure | undefined): void {
  if (failure !== undefined) failures.push(failure);
}
