import type { CaptureSpec } from "../spec/spec.js";
import type { AssertionFailure, HttpResponse } from "./failure.js";
import { evaluateJsonPath } from "./json-path.js";
import { renderJsonValue, shortenText } from "./json-value.js";

export interface CaptureResult {
  values: Record<string, string>;
  /** One per capture that found nothing; the test fails with them. */
  failures: AssertionFailure[];
}

/**
 * Reads the variables a test captures from its response. Values are strings:
 * a JSON string is taken as is, any other JSON value (and the list matched by
 * a wildcard path) as its JSON text.
 */
export function applyCaptures(captures: readonly CaptureSpec[], response: HttpResponse): CaptureResult {
  const values: Record<string, string> = {};
  const failures: AssertionFailure[] = [];
  let document: { value: unknown } | { error: string } | undefined;
  const readDocument = (): { value: unknown } | { error: string } => {
    if (document === undefined) {
      try {
        document = { value: JSON.parse(response.body) };
      } catch (error) {
        document = { error: (error as Error).message };
      }
    }
    return document;
  };

  for (const capture of captures) {
    const source = capture.source;
    const fail = (from: string, expected: string, actual: string): void => {
      failures.push({
        matcher: `capture ${capture.variable} (${from})`,
        expected,
        actual,
        location: capture.location,
      });
    };
    switch (source.kind) {
      case "body":
        if (response.body === "") fail("body", "a body", "an empty body");
        else values[capture.variable] = response.body;
        break;
      case "header": {
        const value = Object.hasOwn(response.headers, source.name)
          ? response.headers[source.name]
          : undefined;
        if (value === undefined) fail(`header ${source.name}`, "the header", "no such header");
        else values[capture.variable] = value;
        break;
      }
      case "json": {
        const from = `json ${source.path.source}`;
        const parsed = readDocument();
        if ("error" in parsed) {
          fail(
            from,
            "a JSON body",
            `invalid JSON (${parsed.error}): ${shortenText(JSON.stringify(response.body))}`,
          );
          break;
        }
        const matches = evaluateJsonPath(source.path, parsed.value);
        if (matches.length === 0) {
          fail(from, "a value", "nothing at this path");
          break;
        }
        const value = source.path.definite ? matches[0] : matches;
        values[capture.variable] = typeof value === "string" ? value : JSON.stringify(value);
        break;
      }
      case "regex": {
        const match = source.regex.exec(response.body);
        // The first group when the pattern has one, so `token=(\w+)` captures just the token.
        const value = match === null ? undefined : match.length > 1 ? match[1] : match[0];
        if (value === undefined) {
          const actual =
            match === null
              ? `no match in ${renderJsonValue(response.body)}`
              : "group 1 did not take part in the match";
          fail(`regex /${source.pattern}/`, "a match", actual);
        } else {
          values[capture.variable] = value;
        }
        break;
      }
    }
  }
  return { values, failures };
}
