import { isMap, isScalar, isSeq } from "yaml";
import type { SourceLocation } from "../../errors.js";
import { parseCurlCommand } from "./curl-command.js";
import { parseDuration } from "./duration.js";
import type {
  BasicAuth,
  HeaderField,
  HttpRequestSpec,
  RequestBody,
  RequestDestination,
  ServiceTarget,
  UrlEncodedPart,
} from "./spec.js";
import { describeNode, type MappingEntry, readScalarText, type SpecReader } from "./spec-reader.js";
import { parseServiceTarget } from "./target.js";

export const REQUEST_KEYS = [
  "method",
  "path",
  "url",
  "target",
  "headers",
  "query",
  "form",
  "json",
  "body",
  "basic-auth",
  "timeout",
  "follow-redirects",
] as const;

const BODY_KEYS = ["form", "json", "body"] as const;
const TOKEN_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// `${{ ... }}` may contain spaces, so it counts as one piece of the path.
const REQUEST_LINE_PATTERN = /^\s*(?:([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s+)?((?:\$\{\{[^}]*\}\}|\S)+)\s*$/;

/** The targets a request may fall back on, most specific first. */
export interface RequestContext {
  /** `target:` of the test. */
  testTarget: ServiceTarget | undefined;
  /** `target:` at the top of the spec. */
  defaultTarget: ServiceTarget | undefined;
  /** `test "Get token"` or `wait`. */
  label: string;
  /** A target was written but is invalid (already reported), so a missing target is not news. */
  targetInvalid: boolean;
}

/** Reads `request:`: a `"METHOD /path"` line or a request mapping. */
export function readRequest(
  reader: SpecReader,
  entry: MappingEntry,
  field: string,
  context: RequestContext,
): HttpRequestSpec | undefined {
  const line = readScalarText(entry.value);
  if (line !== undefined) return readRequestLine(reader, line, entry.location, field, context);
  if (entry.value === null || !isMap(entry.value)) {
    return reader.report(
      `\`${field}\` must be "METHOD /path" or a mapping with method, path, ...; got ${describeNode(entry.value)}`,
      entry.location,
    );
  }
  return readRequestMapping(reader, entry, field, context);
}

function readRequestLine(
  reader: SpecReader,
  line: string,
  location: SourceLocation,
  field: string,
  context: RequestContext,
): HttpRequestSpec | undefined {
  const match = REQUEST_LINE_PATTERN.exec(line);
  if (match === null) {
    return reader.report(`\`${field}\` must look like "GET /health"; got '${line}'`, location);
  }
  const where = match[2] ?? "";
  const isUrl = /^https?:\/\//i.test(where);
  const destination = buildDestination(
    reader,
    isUrl ? { url: where } : { path: where },
    undefined,
    context,
    location,
    field,
  );
  if (destination === undefined) return undefined;
  return {
    method: (match[1] ?? "GET").toUpperCase(),
    destination,
    headers: [],
    query: [],
    body: undefined,
    basicAuth: undefined,
    timeoutMs: undefined,
    followRedirects: false,
    label: context.label,
    location,
  };
}

function readRequestMapping(
  reader: SpecReader,
  entry: MappingEntry,
  field: string,
  context: RequestContext,
): HttpRequestSpec | undefined {
  const mapping = reader.readMapping(entry.value, field, entry.location, REQUEST_KEYS);
  if (mapping === undefined) return undefined;
  let valid = true;
  const text = (key: string): string | undefined => {
    const item = mapping.get(key);
    if (item === undefined) return undefined;
    const value = reader.readText(item, `${field}.${key}`);
    if (value === undefined) valid = false;
    return value;
  };

  let method = text("method")?.toUpperCase();
  const methodEntry = mapping.get("method");
  if (method !== undefined && methodEntry !== undefined && !TOKEN_PATTERN.test(method)) {
    valid = false;
    reader.report(
      `\`${field}.method\` must be an HTTP method like GET or POST; got '${method}'`,
      methodEntry.location,
    );
    method = undefined;
  }

  const path = text("path");
  const url = text("url");
  const pathEntry = mapping.get("path");
  const urlEntry = mapping.get("url");
  if (pathEntry !== undefined && urlEntry !== undefined) {
    return reader.report(
      `\`${field}\` has both \`path\` and \`url\`; use path (relative to the target) or url (absolute), not both`,
      urlEntry.keyLocation,
    );
  }
  if (pathEntry === undefined && urlEntry === undefined) {
    return reader.report(
      `\`${field}\` needs a \`path\` (relative to the target) or a \`url\``,
      entry.location,
    );
  }

  let requestTarget: ServiceTarget | undefined;
  const targetEntry = mapping.get("target");
  const targetText = text("target");
  if (targetEntry !== undefined && targetText !== undefined) {
    requestTarget = reader.attempt(`${field}.target`, targetEntry.location, () =>
      parseServiceTarget(targetText, targetEntry.location),
    );
    if (requestTarget === undefined) return undefined;
    else if (context.testTarget !== undefined) {
      valid = false;
      reader.report(
        `the test sets \`target\` and \`${field}.target\`; keep one of them`,
        targetEntry.keyLocation,
      );
    }
  }

  const headers = readHeaderFields(reader, mapping.get("headers"), `${field}.headers`);
  const query = readUrlEncodedParts(reader, mapping.get("query"), `${field}.query`);
  if (headers === undefined || query === undefined) valid = false;

  const bodyEntries = BODY_KEYS.flatMap((key) => {
    const item = mapping.get(key);
    return item === undefined ? [] : [{ key, item }];
  });
  let body: RequestBody | undefined;
  const [bodyEntry, secondBody] = bodyEntries;
  if (secondBody !== undefined) {
    valid = false;
    reader.report(
      `\`${field}\` has both \`${bodyEntry?.key}\` and \`${secondBody.key}\`; a request has one body: form, json or body`,
      secondBody.item.keyLocation,
    );
  } else if (bodyEntry !== undefined) {
    body = readBody(reader, bodyEntry.key, bodyEntry.item, field);
    if (body === undefined) valid = false;
  }

  let basicAuth: BasicAuth | undefined;
  const authEntry = mapping.get("basic-auth");
  if (authEntry !== undefined) {
    basicAuth = readBasicAuth(reader, authEntry, `${field}.basic-auth`);
    if (basicAuth === undefined) valid = false;
  }

  const timeoutEntry = mapping.get("timeout");
  let timeoutMs: number | undefined;
  if (timeoutEntry !== undefined) {
    timeoutMs = readPositiveDuration(reader, timeoutEntry, `${field}.timeout`);
    if (timeoutMs === undefined) valid = false;
  }

  const redirectEntry = mapping.get("follow-redirects");
  const followRedirects =
    redirectEntry === undefined ? false : reader.readBoolean(redirectEntry, `${field}.follow-redirects`);
  if (followRedirects === undefined) valid = false;

  const destinationEntry = pathEntry ?? urlEntry;
  const destination =
    destinationEntry === undefined || (path === undefined && url === undefined)
      ? undefined
      : buildDestination(
          reader,
          path !== undefined ? { path } : { url: url ?? "" },
          requestTarget,
          context,
          destinationEntry.location,
          `${field}.${path !== undefined ? "path" : "url"}`,
        );
  if (!valid || destination === undefined || headers === undefined || query === undefined) return undefined;
  return {
    method: method ?? (body !== undefined ? "POST" : "GET"),
    destination,
    headers,
    query,
    body,
    basicAuth,
    timeoutMs,
    followRedirects: followRedirects ?? false,
    label: context.label,
    location: entry.location,
  };
}

/** Reads `curl:`, the shorthand for a request pasted from a script. */
export function readCurlRequest(
  reader: SpecReader,
  entry: MappingEntry,
  context: RequestContext,
): HttpRequestSpec | undefined {
  const command = reader.readText(entry, "curl");
  if (command === undefined) return undefined;
  const curl = reader.attempt(undefined, entry.location, () => parseCurlCommand(command, entry.location));
  if (curl === undefined) return undefined;
  const destination = buildDestination(
    reader,
    curl.path !== undefined ? { path: curl.path } : { url: curl.url ?? "" },
    undefined,
    context,
    entry.location,
    "curl",
  );
  if (destination === undefined) return undefined;
  return {
    method: curl.method,
    destination,
    headers: curl.headers,
    query: curl.query,
    body: curl.body,
    basicAuth: curl.basicAuth,
    timeoutMs: curl.timeoutMs,
    followRedirects: curl.followRedirects,
    label: context.label,
    location: entry.location,
  };
}

/** A path goes to the nearest target (request, test, spec); a URL is used as written. */
function buildDestination(
  reader: SpecReader,
  where: { path: string } | { url: string },
  requestTarget: ServiceTarget | undefined,
  context: RequestContext,
  location: SourceLocation,
  field: string,
): RequestDestination | undefined {
  if ("url" in where) {
    if (!/^https?:\/\/[^/]/i.test(where.url) && !where.url.startsWith("${{")) {
      return reader.report(`\`${field}\` must be an http:// or https:// URL; got '${where.url}'`, location);
    }
    if (requestTarget !== undefined || context.testTarget !== undefined) {
      return reader.report(
        `\`${field}\` is a full URL, so the test's \`target\` has no effect; remove the target or give a path`,
        location,
      );
    }
    return { kind: "url", url: where.url };
  }
  if (!where.path.startsWith("/") && !where.path.startsWith("${{")) {
    return reader.report(`\`${field}\` must start with / (like /user); got '${where.path}'`, location);
  }
  const target = requestTarget ?? context.testTarget ?? context.defaultTarget;
  if (target === undefined) {
    if (context.targetInvalid) return undefined;
    return reader.report(
      `\`${field}\` is a path, but no target is set; add \`target: service:port\` at the top of the spec or to this test, or use a full URL`,
      location,
    );
  }
  return { kind: "service", target, path: where.path };
}

function readHeaderFields(
  reader: SpecReader,
  entry: MappingEntry | undefined,
  field: string,
): HeaderField[] | undefined {
  if (entry === undefined) return [];
  const mapping = reader.readMapping(entry.value, field, entry.location, undefined);
  if (mapping === undefined) return undefined;
  const headers: HeaderField[] = [];
  let valid = true;
  for (const item of mapping.values()) {
    if (!TOKEN_PATTERN.test(item.key)) {
      valid = false;
      reader.report(`\`${field}\`: '${item.key}' is not a valid header name`, item.keyLocation);
      continue;
    }
    const value = reader.readText(item, `${field}.${item.key}`);
    if (value === undefined) valid = false;
    else headers.push({ name: item.key, value });
  }
  return valid ? headers : undefined;
}

/** `query:` and `form:`: name → text, or a list of texts for a repeated name. */
function readUrlEncodedParts(
  reader: SpecReader,
  entry: MappingEntry | undefined,
  field: string,
): UrlEncodedPart[] | undefined {
  if (entry === undefined) return [];
  const mapping = reader.readMapping(entry.value, field, entry.location, undefined);
  if (mapping === undefined) return undefined;
  const parts: UrlEncodedPart[] = [];
  let valid = true;
  for (const item of mapping.values()) {
    const itemField = `${field}.${item.key}`;
    const items = item.value !== null && isSeq(item.value) ? reader.readSequence(item, itemField) : [item];
    for (const element of items ?? []) {
      const value = reader.readText(element, itemField);
      if (value === undefined) valid = false;
      else parts.push({ name: item.key, value, encode: true });
    }
  }
  return valid ? parts : undefined;
}

function readBody(
  reader: SpecReader,
  key: (typeof BODY_KEYS)[number],
  entry: MappingEntry,
  field: string,
): RequestBody | undefined {
  switch (key) {
    case "form": {
      const parts = readUrlEncodedParts(reader, entry, `${field}.form`);
      return parts === undefined ? undefined : { kind: "urlencoded", parts };
    }
    case "json":
      return { kind: "json", value: reader.toValue(entry.value) };
    case "body": {
      const text = reader.readText(entry, `${field}.body`);
      return text === undefined ? undefined : { kind: "text", text, contentType: undefined };
    }
  }
}

function readBasicAuth(reader: SpecReader, entry: MappingEntry, field: string): BasicAuth | undefined {
  const message = `\`${field}\` must be "user:password" or a mapping with username and password`;
  if (entry.value !== null && isScalar(entry.value)) {
    const text = readScalarText(entry.value);
    const colon = text?.indexOf(":") ?? -1;
    if (text === undefined || colon < 0)
      return reader.report(`${message}; got ${describeNode(entry.value)}`, entry.location);
    return { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  const mapping = reader.readMapping(entry.value, field, entry.location, ["username", "password"]);
  if (mapping === undefined) return undefined;
  const username = mapping.get("username");
  const password = mapping.get("password");
  if (username === undefined || password === undefined) {
    return reader.report(
      `${message}; ${username === undefined ? "username" : "password"} is missing`,
      entry.location,
    );
  }
  const user = reader.readText(username, `${field}.username`);
  const pass = reader.readText(password, `${field}.password`);
  return user === undefined || pass === undefined ? undefined : { username: user, password: pass };
}

/** A duration that must be longer than zero (timeouts, limits). */
export function readPositiveDuration(
  reader: SpecReader,
  entry: MappingEntry,
  field: string,
): number | undefined {
  const ms = readDurationValue(reader, entry, field);
  if (ms === 0) return reader.report(`\`${field}\` must be longer than 0`, entry.location);
  return ms;
}

/** A duration of 0 or more (intervals). */
export function readDurationValue(
  reader: SpecReader,
  entry: MappingEntry,
  field: string,
): number | undefined {
  const node = entry.value;
  const value = node !== null && isScalar(node) ? node.value : undefined;
  if (typeof value !== "string" && typeof value !== "number") {
    return reader.report(
      `\`${field}\` must be a duration like 500ms, 60s or 2m, or a number of seconds; got ${describeNode(node)}`,
      entry.location,
    );
  }
  return reader.attempt(field, entry.location, () => parseDuration(value, entry.location));
}
