import { isMap, isScalar, isSeq } from "yaml";
import type { SourceLocation } from "../../errors.js";
import { parseJsonPath } from "../assert/json-path.js";
import { VARIABLE_NAME_PATTERN } from "./interpolation.js";
import { readPositiveDuration } from "./parse-request.js";
import type {
  CaptureSource,
  CaptureSpec,
  Expectation,
  HeaderExpectation,
  JsonCheck,
  JsonExpectation,
  JsonType,
  StatusExpectation,
  TextCheck,
} from "./spec.js";
import { describeNode, type MappingEntry, readScalarText, type SpecReader } from "./spec-reader.js";

export const EXPECT_KEYS = ["status", "headers", "body", "json", "duration"] as const;
export const BODY_MATCHER_KEYS = ["equals", "contains", "not-contains", "matches"] as const;
export const HEADER_MATCHER_KEYS = [...BODY_MATCHER_KEYS, "exists"] as const;
export const JSON_MATCHER_KEYS = ["equals", "exists", "type", "length", "matches"] as const;
const JSON_TYPES: readonly JsonType[] = ["string", "number", "boolean", "object", "array", "null"];
const CAPTURE_KINDS = ["json", "header", "regex"] as const;
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const STATUS_MESSAGE = "must be a number, a list of numbers or a class like 2xx";

/** What a test without `expect:` checks: that the request succeeded. */
export function expectSuccess(location: SourceLocation): Expectation {
  return {
    status: { codes: [], classes: [2], location },
    headers: [],
    body: [],
    json: [],
    jsonLocation: undefined,
    maxDurationMs: undefined,
    location,
  };
}

export function readExpectation(reader: SpecReader, entry: MappingEntry): Expectation | undefined {
  const mapping = reader.readMapping(entry.value, "expect", entry.location, EXPECT_KEYS);
  if (mapping === undefined) return undefined;
  const problemsBefore = reader.problems.length;
  const statusEntry = mapping.get("status");
  const headersEntry = mapping.get("headers");
  const bodyEntry = mapping.get("body");
  const jsonEntry = mapping.get("json");
  const durationEntry = mapping.get("duration");
  const status = statusEntry === undefined ? undefined : readStatus(reader, statusEntry, "expect.status");
  const headers = headersEntry === undefined ? [] : readHeaderExpectations(reader, headersEntry);
  const body = bodyEntry === undefined ? [] : readBodyChecks(reader, bodyEntry);
  const json = jsonEntry === undefined ? [] : readJsonExpectations(reader, jsonEntry);
  const durationMs =
    durationEntry === undefined ? undefined : readPositiveDuration(reader, durationEntry, "expect.duration");
  if (isMap(entry.value) && entry.value.items.length === 0)
    reader.report(`\`expect\` is empty; give at least one of ${EXPECT_KEYS.join(", ")}`, entry.location);
  if (reader.problems.length > problemsBefore) return undefined;
  return {
    status,
    headers,
    body,
    json,
    jsonLocation: jsonEntry?.location,
    maxDurationMs:
      durationMs === undefined || durationEntry === undefined
        ? undefined
        : { value: durationMs, location: durationEntry.location },
    location: entry.location,
  };
}

/** `200`, `[200, 201]`, `2xx` (list items may mix codes and classes). */
export function readStatus(
  reader: SpecReader,
  entry: Pick<MappingEntry, "value" | "location">,
  field: string,
): StatusExpectation | undefined {
  const codes: number[] = [];
  const classes: number[] = [];
  const items = entry.value !== null && isSeq(entry.value) ? reader.readSequence(entry, field) : [entry];
  if (items === undefined) return undefined;
  if (items.length === 0)
    return reader.report(`\`${field}\` ${STATUS_MESSAGE}; got an empty list`, entry.location);
  for (const item of items) {
    const node = item.value;
    const value = node !== null && isScalar(node) ? node.value : undefined;
    const text = typeof value === "number" || typeof value === "string" ? String(value).trim() : undefined;
    const classMatch = text === undefined ? null : /^([1-5])xx$/i.exec(text);
    if (classMatch !== null) {
      classes.push(Number(classMatch[1]));
    } else if (text !== undefined && /^[1-5]\d\d$/.test(text)) {
      codes.push(Number(text));
    } else {
      return reader.report(`\`${field}\` ${STATUS_MESSAGE}; got ${describeNode(node)}`, item.location);
    }
  }
  return { codes, classes, location: entry.location };
}

function readHeaderExpectations(reader: SpecReader, entry: MappingEntry): HeaderExpectation[] {
  const mapping = reader.readMapping(entry.value, "expect.headers", entry.location, undefined);
  if (mapping === undefined) return [];
  const seen = new Set<string>();
  const headers: HeaderExpectation[] = [];
  for (const item of mapping.values()) {
    const name = item.key.toLowerCase();
    const field = `expect.headers.${item.key}`;
    if (!HEADER_NAME_PATTERN.test(item.key)) {
      reader.report(`\`expect.headers\`: '${item.key}' is not a valid header name`, item.keyLocation);
      continue;
    }
    if (seen.has(name)) {
      reader.report(
        `\`expect.headers\` names ${item.key} twice (header names ignore case)`,
        item.keyLocation,
      );
      continue;
    }
    seen.add(name);
    if (item.value !== null && isMap(item.value)) {
      const matcher = reader.readMapping(item.value, field, item.location, HEADER_MATCHER_KEYS);
      if (matcher === undefined) continue;
      const existsEntry = matcher.get("exists");
      const exists = existsEntry === undefined ? true : reader.readBoolean(existsEntry, `${field}.exists`);
      const empty = item.value.items.length === 0;
      const checks = readTextChecks(
        reader,
        matcher,
        field,
        HEADER_MATCHER_KEYS,
        empty ? item.location : undefined,
      );
      if (!exists && checks.length > 0 && existsEntry !== undefined) {
        reader.report(
          `\`${field}\`: exists: false cannot be combined with other matchers`,
          existsEntry.location,
        );
      }
      headers.push({ name, present: exists ?? true, checks, location: item.location });
      continue;
    }
    const value = reader.readText(item, field);
    if (value === undefined) continue;
    headers.push({
      name,
      present: true,
      checks: [{ kind: "equals", value, location: item.location }],
      location: item.location,
    });
  }
  return headers;
}

/** `body: text` (equals) or a matcher mapping. */
function readBodyChecks(reader: SpecReader, entry: MappingEntry): TextCheck[] {
  if (entry.value === null || !isMap(entry.value)) {
    const value = reader.readText(entry, "expect.body");
    return value === undefined ? [] : [{ kind: "equals", value, location: entry.location }];
  }
  const matcher = reader.readMapping(entry.value, "expect.body", entry.location, BODY_MATCHER_KEYS);
  if (matcher === undefined) return [];
  const empty = entry.value.items.length === 0;
  return readTextChecks(
    reader,
    matcher,
    "expect.body",
    BODY_MATCHER_KEYS,
    empty ? entry.location : undefined,
  );
}

function readTextChecks(
  reader: SpecReader,
  matcher: Map<string, MappingEntry>,
  field: string,
  allowed: readonly string[],
  /** Set when the matcher mapping was written empty, to report that there. */
  emptyAt: SourceLocation | undefined,
): TextCheck[] {
  const checks: TextCheck[] = [];
  const equals = matcher.get("equals");
  if (equals !== undefined) {
    const value = reader.readText(equals, `${field}.equals`);
    if (value !== undefined) checks.push({ kind: "equals", value, location: equals.location });
  }
  for (const kind of ["contains", "not-contains"] as const) {
    const item = matcher.get(kind);
    if (item === undefined) continue;
    const elements =
      item.value !== null && isSeq(item.value) ? reader.readSequence(item, `${field}.${kind}`) : [item];
    for (const element of elements ?? []) {
      const value = reader.readText(element, `${field}.${kind}`);
      if (value !== undefined) checks.push({ kind, value, location: element.location });
    }
  }
  const matches = matcher.get("matches");
  if (matches !== undefined) {
    const check = readRegex(reader, matches, `${field}.matches`);
    if (check !== undefined) checks.push({ kind: "matches", ...check, location: matches.location });
  }
  if (emptyAt !== undefined) {
    reader.report(`\`${field}\` is an empty matcher; give at least one of ${allowed.join(", ")}`, emptyAt);
  }
  return checks;
}

function readJsonExpectations(reader: SpecReader, entry: MappingEntry): JsonExpectation[] {
  const mapping = reader.readMapping(entry.value, "expect.json", entry.location, undefined);
  if (mapping === undefined) return [];
  if (mapping.size === 0) {
    reader.report(
      "`expect.json` is empty; map JSONPaths like $.token to the value or matcher expected",
      entry.location,
    );
  }
  const expectations: JsonExpectation[] = [];
  for (const item of mapping.values()) {
    const path = reader.attempt("expect.json", item.keyLocation, () =>
      parseJsonPath(item.key, item.keyLocation),
    );
    const checks = readJsonChecks(reader, item, `expect.json.${item.key}`);
    if (path !== undefined && checks !== undefined)
      expectations.push({ path, checks, location: item.location });
  }
  return expectations;
}

/**
 * A plain value is compared for deep equality; a mapping is always a matcher
 * (compare with an object through `equals:`), which keeps the two unambiguous.
 */
function readJsonChecks(reader: SpecReader, entry: MappingEntry, field: string): JsonCheck[] | undefined {
  if (entry.value === null || !isMap(entry.value)) {
    return [{ kind: "equals", value: reader.toValue(entry.value), location: entry.location }];
  }
  const matcher = reader.readMapping(entry.value, field, entry.location, undefined);
  if (matcher === undefined) return undefined;
  const unknown = [...matcher.values()].find(
    (item) => !(JSON_MATCHER_KEYS as readonly string[]).includes(item.key),
  );
  if (unknown !== undefined) {
    return reader.report(
      `\`${field}\`: a mapping here is a matcher (${JSON_MATCHER_KEYS.join(", ")}) and \`${unknown.key}\` is not one; to compare with an object, write it under \`equals:\``,
      unknown.keyLocation,
    );
  }
  const checks: JsonCheck[] = [];
  const equals = matcher.get("equals");
  if (equals !== undefined)
    checks.push({ kind: "equals", value: reader.toValue(equals.value), location: equals.location });
  const exists = matcher.get("exists");
  if (exists !== undefined) {
    const value = reader.readBoolean(exists, `${field}.exists`);
    if (value !== undefined) checks.push({ kind: "exists", value, location: exists.location });
  }
  const type = matcher.get("type");
  if (type !== undefined) {
    const value = readScalarText(type.value);
    const known = JSON_TYPES.find((candidate) => candidate === value);
    if (known === undefined) {
      reader.report(
        `\`${field}.type\` must be one of ${JSON_TYPES.join(", ")}; got ${describeNode(type.value)}`,
        type.location,
      );
    } else {
      checks.push({ kind: "type", value: known, location: type.location });
    }
  }
  const length = matcher.get("length");
  if (length !== undefined) {
    const value = reader.readInteger(length, `${field}.length`, 0);
    if (value !== undefined) checks.push({ kind: "length", value, location: length.location });
  }
  const matches = matcher.get("matches");
  if (matches !== undefined) {
    const check = readRegex(reader, matches, `${field}.matches`);
    if (check !== undefined) checks.push({ kind: "matches", ...check, location: matches.location });
  }
  if (matcher.size === 0) {
    reader.report(
      `\`${field}\` is an empty matcher; give at least one of ${JSON_MATCHER_KEYS.join(", ")}`,
      entry.location,
    );
  }
  return checks;
}

function readRegex(
  reader: SpecReader,
  entry: MappingEntry,
  field: string,
): { pattern: string; regex: RegExp } | undefined {
  const pattern = reader.readText(entry, field);
  if (pattern === undefined) return undefined;
  try {
    return { pattern, regex: new RegExp(pattern) };
  } catch (error) {
    return reader.report(
      `\`${field}\` is not a valid regular expression: ${(error as Error).message}`,
      entry.location,
    );
  }
}

/** `capture:` maps variable names to `body`, `{ json: $.path }`, `{ header: Name }` or `{ regex: '...' }`. */
export function readCaptures(reader: SpecReader, entry: MappingEntry): CaptureSpec[] | undefined {
  const mapping = reader.readMapping(entry.value, "capture", entry.location, undefined);
  if (mapping === undefined) return undefined;
  const problemsBefore = reader.problems.length;
  const captures: CaptureSpec[] = [];
  for (const item of mapping.values()) {
    const field = `capture.${item.key}`;
    if (!VARIABLE_NAME_PATTERN.test(item.key) || item.key === "env") {
      reader.report(
        `\`capture\`: '${item.key}' cannot be a variable name; use letters, digits, _ and - (not starting with a digit), and not env`,
        item.keyLocation,
      );
      continue;
    }
    const source = readCaptureSource(reader, item, field);
    if (source !== undefined) captures.push({ variable: item.key, source, location: item.location });
  }
  return reader.problems.length > problemsBefore ? undefined : captures;
}

function readCaptureSource(
  reader: SpecReader,
  entry: MappingEntry,
  field: string,
): CaptureSource | undefined {
  const message = `\`${field}\` must be body, { json: $.path }, { header: Name } or { regex: 'pattern' }`;
  if (readScalarText(entry.value) === "body") return { kind: "body" };
  if (entry.value === null || !isMap(entry.value)) {
    return reader.report(`${message}; got ${describeNode(entry.value)}`, entry.location);
  }
  const problemsBefore = reader.problems.length;
  const mapping = reader.readMapping(entry.value, field, entry.location, CAPTURE_KINDS);
  if (mapping === undefined || reader.problems.length > problemsBefore) return undefined;
  const [only, ...others] = [...mapping.values()];
  if (only === undefined || others.length > 0)
    return reader.report(`${message}; give exactly one source`, entry.location);
  const itemField = `${field}.${only.key}`;
  switch (only.key) {
    case "json": {
      const text = reader.readText(only, itemField);
      if (text === undefined) return undefined;
      const path = reader.attempt(itemField, only.location, () => parseJsonPath(text, only.location));
      return path === undefined ? undefined : { kind: "json", path };
    }
    case "header": {
      const name = reader.readText(only, itemField);
      if (name === undefined) return undefined;
      if (!HEADER_NAME_PATTERN.test(name))
        return reader.report(`\`${itemField}\`: '${name}' is not a valid header name`, only.location);
      return { kind: "header", name: name.toLowerCase() };
    }
    default: {
      const regex = readRegex(reader, only, itemField);
      return regex === undefined ? undefined : { kind: "regex", ...regex };
    }
  }
}
