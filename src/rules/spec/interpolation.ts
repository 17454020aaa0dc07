import { Buffer } from "node:buffer";
import { ConfigurationError, type SourceLocation } from "../../errors.js";
import type {
  Expectation,
  HeaderField,
  HttpRequestSpec,
  RequestBody,
  ResolvedRequest,
  Spec,
  TextCheck,
  UrlEncodedPart,
} from "./spec.js";

export type TemplatePart =
  | { kind: "text"; text: string }
  | { kind: "variable"; name: string }
  | { kind: "env"; name: string };

/** Names a capture may use; `env` is taken by `${{ env.NAME }}`. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ENV_REFERENCE_PATTERN = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Requests that do not set `timeout` give up after this long. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Splits a string into literal text and `${{ name }}` / `${{ env.NAME }}`
 * references. Throws a plain Error describing the first malformed template;
 * callers add the location.
 */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = text;
  for (;;) {
    const start = rest.indexOf("${{");
    if (start < 0) break;
    const end = rest.indexOf("}}", start + 3);
    if (end < 0) throw new Error(`'${rest.slice(start)}' opens \${{ without a closing }}`);
    if (start > 0) parts.push({ kind: "text", text: rest.slice(0, start) });
    const expression = rest.slice(start + 3, end).trim();
    const env = ENV_REFERENCE_PATTERN.exec(expression);
    if (env !== null) {
      parts.push({ kind: "env", name: env[1] ?? "" });
    } else if (VARIABLE_NAME_PATTERN.test(expression) && expression !== "env") {
      parts.push({ kind: "variable", name: expression });
    } else {
      throw new Error(
        `\${{ ${expression} }} is not a variable; write \${{ name }} for a captured value or \${{ env.NAME }} for an environment variable`,
      );
    }
    rest = rest.slice(end + 2);
  }
  if (rest !== "") parts.push({ kind: "text", text: rest });
  return parts;
}

/** Every string of a request that templates may appear in, in a stable order. */
export function listRequestTemplates(request: HttpRequestSpec): string[] {
  const texts: string[] = [];
  const destination = request.destination;
  texts.push(destination.kind === "url" ? destination.url : destination.path);
  for (const header of request.headers) texts.push(header.value);
  for (const part of request.query) texts.push(part.name ?? "", part.value);
  if (request.basicAuth !== undefined) texts.push(request.basicAuth.username, request.basicAuth.password);
  const body = request.body;
  if (body?.kind === "text") texts.push(body.text);
  if (body?.kind === "urlencoded") for (const part of body.parts) texts.push(part.name ?? "", part.value);
  if (body?.kind === "json") collectJsonStrings(body.value, texts);
  return texts;
}

/**
 * The texts of an expectation that templates may appear in (the schema's
 * text values: `equals`, `contains` and `not-contains` of the body and of
 * headers; not regular expressions), each with its location.
 */
export function listExpectationTemplates(expect: Expectation): { text: string; location: SourceLocation }[] {
  const checks = [...expect.body, ...expect.headers.flatMap((header) => header.checks)];
  return checks.flatMap((check) =>
    check.kind === "matches" ? [] : [{ text: check.value, location: check.location }],
  );
}

/** Fills the templates of an expectation's text matchers; an unknown name is a ConfigurationError at the matcher. */
export function interpolateExpectation(
  expect: Expectation,
  vars: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
  label: string,
): Expectation {
  const scope: InterpolationScope = { vars, env };
  const fill = (check: TextCheck): TextCheck =>
    check.kind === "matches"
      ? check
      : { ...check, value: interpolateString(check.value, scope, `${label}: expect`, check.location) };
  return {
    ...expect,
    body: expect.body.map(fill),
    headers: expect.headers.map((header) => ({ ...header, checks: header.checks.map(fill) })),
  };
}

/** Every `${{ env.NAME }}` of a spec (requests, the wait request, expectations), where it is written. */
export function listEnvReferences(spec: Spec): { name: string; location: SourceLocation }[] {
  const texts: { text: string; location: SourceLocation }[] = [];
  const requests = [...(spec.wait ? [spec.wait.request] : []), ...spec.tests.map((test) => test.request)];
  for (const request of requests) {
    for (const text of listRequestTemplates(request)) texts.push({ text, location: request.location });
  }
  for (const test of spec.tests) texts.push(...listExpectationTemplates(test.expect));
  return texts.flatMap(({ text, location }) => {
    try {
      return parseTemplate(text).flatMap((part) =>
        part.kind === "env" ? [{ name: part.name, location }] : [],
      );
    } catch {
      return []; // reported by the parser
    }
  });
}

function collectJsonStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectJsonStrings(item, into);
  else if (isPlainObject(value)) for (const item of Object.values(value)) collectJsonStrings(item, into);
}

export interface InterpolationScope {
  /** Values captured by earlier tests. */
  vars: Readonly<Record<string, string>>;
  /** Passed in by the caller; `process.env` fits. */
  env: Readonly<Record<string, string | undefined>>;
}

/** Fills the templates of one string; an unknown name is a ConfigurationError at `location`. */
export function interpolateString(
  text: string,
  scope: InterpolationScope,
  label: string,
  location: SourceLocation,
): string {
  let parts: TemplatePart[];
  try {
    parts = parseTemplate(text);
  } catch (error) {
    throw new ConfigurationError(`${label}: ${(error as Error).message}`, location);
  }
  return parts.map((part) => resolveTemplatePart(part, scope, label, location)).join("");
}

function resolveTemplatePart(
  part: TemplatePart,
  scope: InterpolationScope,
  label: string,
  location: SourceLocation,
): string {
  if (part.kind === "text") return part.text;
  if (part.kind === "env") {
    const value = scope.env[part.name];
    if (value === undefined) {
      throw new ConfigurationError(
        `${label}: \${{ env.${part.name} }} is not set in the environment of the test run`,
        location,
      );
    }
    return value;
  }
  const value = Object.hasOwn(scope.vars, part.name) ? scope.vars[part.name] : undefined;
  if (value === undefined) {
    const known = Object.keys(scope.vars);
    const captured =
      known.length === 0 ? "nothing has been captured yet" : `captured so far: ${known.join(", ")}`;
    throw new ConfigurationError(`${label}: \${{ ${part.name} }} is not defined (${captured})`, location);
  }
  return value;
}

/**
 * Turns a spec request into concrete strings for this run: templates filled,
 * query and form encoded, JSON serialised, Basic auth and the body's
 * Content-Type added as headers unless the spec sets them itself.
 */
export function interpolateRequest(
  request: HttpRequestSpec,
  vars: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedRequest {
  const scope: InterpolationScope = { vars, env };
  const fill = (text: string): string => interpolateString(text, scope, request.label, request.location);
  const fillParts = (parts: readonly UrlEncodedPart[]): UrlEncodedPart[] =>
    parts.map((part) => ({
      name: part.name === undefined ? undefined : fill(part.name),
      value: fill(part.value),
      encode: part.encode,
    }));

  const headers = request.headers.map((header) => ({ name: header.name, value: fill(header.value) }));
  if (request.basicAuth !== undefined) {
    const credentials = `${fill(request.basicAuth.username)}:${fill(request.basicAuth.password)}`;
    setHeaderUnlessPresent(headers, "Authorization", `Basic ${Buffer.from(credentials).toString("base64")}`);
  }
  const body = request.body === undefined ? undefined : serialiseBody(request.body, fill, fillParts);
  if (body?.contentType !== undefined) setHeaderUnlessPresent(headers, "Content-Type", body.contentType);

  const query = encodeUrlEncodedParts(fillParts(request.query));
  const destination = request.destination;
  let resolved: ResolvedRequest["destination"];
  if (destination.kind === "url") {
    const url = appendQuery(fill(destination.url), query);
    if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) {
      throw new ConfigurationError(
        `${request.label}: the URL '${url}' is not an absolute http:// or https:// URL`,
        request.location,
      );
    }
    resolved = { kind: "url", url };
  } else {
    const path = appendQuery(fill(destination.path), query);
    if (!path.startsWith("/")) {
      throw new ConfigurationError(
        `${request.label}: the path '${path}' must start with /`,
        request.location,
      );
    }
    resolved = { kind: "service", service: destination.target.service, port: destination.target.port, path };
  }

  return {
    method: request.method,
    destination: resolved,
    headers,
    body: body?.text,
    timeoutMs: request.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    followRedirects: request.followRedirects,
  };
}

function serialiseBody(
  body: RequestBody,
  fill: (text: string) => string,
  fillParts: (parts: readonly UrlEncodedPart[]) => UrlEncodedPart[],
): { text: string; contentType: string | undefined } {
  switch (body.kind) {
    case "text":
      return { text: fill(body.text), contentType: body.contentType };
    case "urlencoded":
      return {
        text: encodeUrlEncodedParts(fillParts(body.parts)),
        contentType: "application/x-www-form-urlencoded",
      };
    case "json":
      return { text: JSON.stringify(fillJsonStrings(body.value, fill)), contentType: "application/json" };
  }
}

function fillJsonStrings(value: unknown, fill: (text: string) => string): unknown {
  if (typeof value === "string") return fill(value);
  if (Array.isArray(value)) return value.map((item) => fillJsonStrings(item, fill));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillJsonStrings(item, fill)]));
  }
  return value;
}

/** `a=1&b=x%20y`, percent-encoding only the parts that ask for it (as curl's -d vs --data-urlencode). */
export function encodeUrlEncodedParts(parts: readonly UrlEncodedPart[]): string {
  return parts
    .map((part) => {
      const value = part.encode ? encodeFormComponent(part.value) : part.value;
      if (part.name === undefined) return value;
      return `${part.encode ? encodeFormComponent(part.name) : part.name}=${value}`;
    })
    .join("&");
}

/** application/x-www-form-urlencoded: as URLSearchParams, spaces become `+`. */
function encodeFormComponent(text: string): string {
  return new URLSearchParams([["", text]]).toString().slice(1);
}

function appendQuery(pathOrUrl: string, query: string): string {
  if (query === "") return pathOrUrl;
  const hashAt = pathOrUrl.indexOf("#");
  const base = hashAt < 0 ? pathOrUrl : pathOrUrl.slice(0, hashAt);
  const separator = !base.includes("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return `${base}${separator}${query}`;
}

function setHeaderUnlessPresent(headers: HeaderField[], name: string, value: string): void {
  const present = headers.some((header) => header.name.toLowerCase() === name.toLowerCase());
  if (!present) headers.push({ name, value });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
