import { JSONPathEnvironment, JSONPathError, type JSONPathQuery, type JSONValue } from "json-p3";
import { ConfigurationError, type SourceLocation } from "../../errors.js";

/**
 * A compiled JSONPath query, RFC 9535 in full through json-p3: names, indexes,
 * wildcards, slices, unions, descendants, filters with comparisons, `&&`, `||`,
 * `!`, and the functions `length()`, `count()`, `match()`, `search()` and
 * `value()`.
 */
export interface JsonPath {
  source: string;
  /**
   * True for a singular query (RFC 9535 §2.3.5.1: names and indexes only, no
   * descendants): it selects at most one value, and matchers compare that value
   * itself rather than the list of matches.
   */
  definite: boolean;
  query: JSONPathQuery;
}

// Strict RFC 9535: json-p3's non-standard selectors (keys, `#`) stay off.
const environment = new JSONPathEnvironment({ strict: true });

/** Compiles a JSONPath; a malformed one is a ConfigurationError at `location`. */
export function parseJsonPath(source: string, location?: SourceLocation): JsonPath {
  let query: JSONPathQuery;
  try {
    query = environment.compile(source);
  } catch (error) {
    if (!(error instanceof JSONPathError)) throw error;
    const { reason, index } = describeSyntaxError(source, error);
    throw new ConfigurationError(
      `'${source}' is not a valid JSONPath: ${reason} (at character ${index + 1})`,
      location,
    );
  }
  return { source, definite: query.singularQuery(), query };
}

/** Every value the path selects in `document`, in document order. */
export function evaluateJsonPath(path: JsonPath | string, document: unknown): unknown[] {
  const compiled = typeof path === "string" ? parseJsonPath(path) : path;
  // `document` comes from JSON.parse (or a test's literal), so it is a JSON value.
  return compiled.query.query(document as JSONValue).values();
}

/** json-p3's reason without its `('path':index)` suffix, with a hint where the RFC surprises people. */
function describeSyntaxError(source: string, error: JSONPathError): { reason: string; index: number } {
  const reason = error.message.replace(/ \('(?:[^']|'(?!:\d+\)$))*':\d+\)$/, "");
  const index = error.token.index;
  if (source.trim() === "" || (index === 0 && !source.startsWith("$") && source.trimStart() === source)) {
    return { reason: "a JSONPath starts with $ (like $.token or $.items[0].id)", index: 0 };
  }
  if (/^\s/.test(source)) return { reason: "RFC 9535 allows no blank space before the $", index: 0 };
  const end = source.trimEnd().length;
  if (end < source.length && index >= end) {
    return { reason: "RFC 9535 allows no blank space after the path", index: end };
  }
  if (reason.startsWith("can't backup beyond start")) {
    return { reason: "expected a member name or * after '.'", index };
  }
  if (/^unexpected shorthand selector '\d/.test(reason)) {
    const hint = "a name that starts with a digit needs brackets, like $['1'] (or $[1] for an index)";
    return { reason: `${reason}: ${hint}`, index };
  }
  if (reason === "non-singular query is not comparable") {
    const hint = "compare one value (@.a, @[0]), or test a list with a function, like count(@[*]) == 2";
    return { reason: `${reason}: ${hint}`, index };
  }
  return { reason, index };
}
