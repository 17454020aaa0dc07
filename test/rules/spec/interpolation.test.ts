import { describe, expect, it } from "vitest";
import {
  encodeUrlEncodedParts,
  interpolateExpectation,
  interpolateRequest,
  interpolateString,
  listEnvReferences,
  listRequestTemplates,
  parseTemplate,
  type TemplatePart,
} from "../../../src/rules/spec/interpolation.js";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";
import type { HttpRequestSpec, ResolvedRequest } from "../../../src/rules/spec/spec.js";

const location = { file: "spec.yml", line: 20, column: 5 };
const target = { service: "goauth", port: 9000, location: { file: "spec.yml", line: 1, column: 9 } };

function spec(overrides: Partial<HttpRequestSpec>): HttpRequestSpec {
  return {
    method: "GET",
    destination: { kind: "service", target, path: "/user" },
    headers: [],
    query: [],
    body: undefined,
    basicAuth: undefined,
    timeoutMs: undefined,
    followRedirects: false,
    label: 'test "Verify token"',
    location,
    ...overrides,
  };
}

function resolved(overrides: Partial<ResolvedRequest>): ResolvedRequest {
  return {
    method: "GET",
    destination: { kind: "service", service: "goauth", port: 9000, path: "/user" },
    headers: [],
    body: undefined,
    timeoutMs: 30_000,
    followRedirects: false,
    ...overrides,
  };
}

const vars = { token: "abc123", user: "alice", spaced: "a b&c" };
const env = { BASE_URL: "http://api:8080", TOKEN: "s3cret", EMPTY: "", UNSET: undefined };

describe("parseTemplate", () => {
  it.each<[string, TemplatePart[]]>([
    ["plain", [{ kind: "text", text: "plain" }]],
    ["", []],
    ["${{ token }}", [{ kind: "variable", name: "token" }]],
    ["${{token}}", [{ kind: "variable", name: "token" }]],
    [
      "/token/${{ user-id }}?x=${{ env.HOME_DIR }}!",
      [
        { kind: "text", text: "/token/" },
        { kind: "variable", name: "user-id" },
        { kind: "text", text: "?x=" },
        { kind: "env", name: "HOME_DIR" },
        { kind: "text", text: "!" },
      ],
    ],
    ["$ {{ not }} ${ x }", [{ kind: "text", text: "$ {{ not }} ${ x }" }]],
  ])("splits %j", (text, parts) => {
    expect(parseTemplate(text)).toEqual(parts);
  });

  it.each([
    ["${{ token", "'${{ token' opens ${{ without a closing }}"],
    ["${{ a.b }}", "${{ a.b }} is not a variable; write ${{ name }} for a captured value or ${{ env.NAME }}"],
    ["${{ env }}", "${{ env }} is not a variable"],
    ["${{ }}", "${{  }} is not a variable"],
    ["${{ 1abc }}", "${{ 1abc }} is not a variable"],
    ["${{ env.A-B }}", "${{ env.A-B }} is not a variable"],
  ])("refuses %j", (text, message) => {
    expect(() => parseTemplate(text)).toThrow(message);
  });
});

describe("interpolateString", () => {
  it.each([
    ["Bearer ${{ token }}", "Bearer abc123"],
    ["${{ env.BASE_URL }}/x", "http://api:8080/x"],
    ["[${{ env.EMPTY }}]", "[]"],
    ["${{ user }}:${{ token }}", "alice:abc123"],
    ["no templates", "no templates"],
  ])("fills %j", (text, result) => {
    expect(interpolateString(text, { vars, env }, "wait", location)).toBe(result);
  });

  it.each([
    [
      "${{ tokn }}",
      { token: "x" },
      'spec.yml:20:5: test "Verify token": ${{ tokn }} is not defined (captured so far: token)',
    ],
    [
      "${{ token }}",
      {},
      'spec.yml:20:5: test "Verify token": ${{ token }} is not defined (nothing has been captured yet)',
    ],
    ["${{ toString }}", {}, "${{ toString }} is not defined"],
    [
      "${{ env.UNSET }}",
      {},
      'spec.yml:20:5: test "Verify token": ${{ env.UNSET }} is not set in the environment of the test run',
    ],
    ["${{ env.MISSING }}", {}, "${{ env.MISSING }} is not set in the environment"],
    ["${{ bad name }}", {}, 'test "Verify token": ${{ bad name }} is not a variable'],
  ])("refuses %j", (text, known, message) => {
    let error: unknown;
    try {
      interpolateString(text, { vars: known, env }, 'test "Verify token"', location);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: "ConfigurationError", location });
    expect((error as Error).message).toContain(message);
  });
});

describe("interpolateRequest", () => {
  it.each<[string, HttpRequestSpec, ResolvedRequest]>([
    ["a plain GET", spec({}), resolved({})],
    [
      "templates in the path and query",
      spec({
        destination: { kind: "service", target, path: "/token/${{ user }}?a=1" },
        query: [
          { name: "q", value: "${{ spaced }}", encode: true },
          { name: undefined, value: "raw=${{ spaced }}", encode: false },
        ],
      }),
      resolved({
        destination: {
          kind: "service",
          service: "goauth",
          port: 9000,
          path: "/token/alice?a=1&q=a+b%26c&raw=a b&c",
        },
      }),
    ],
    [
      "a query on a path without one, dropping a fragment",
      spec({
        destination: { kind: "service", target, path: "/p#frag" },
        query: [{ name: "a", value: "1", encode: true }],
      }),
      resolved({ destination: { kind: "service", service: "goauth", port: 9000, path: "/p?a=1" } }),
    ],
    [
      "a URL from the environment",
      spec({ destination: { kind: "url", url: "${{ env.BASE_URL }}/user" } }),
      resolved({ destination: { kind: "url", url: "http://api:8080/user" } }),
    ],
    [
      "headers, every one in order, repeated names too",
      spec({
        headers: [
          { name: "Authorization", value: "Bearer ${{ token }}" },
          { name: "X-A", value: "1" },
          { name: "x-a", value: "2" },
        ],
      }),
      resolved({
        headers: [
          { name: "Authorization", value: "Bearer abc123" },
          { name: "X-A", value: "1" },
          { name: "x-a", value: "2" },
        ],
      }),
    ],
    [
      "a form body",
      spec({
        method: "PUT",
        body: {
          kind: "urlencoded",
          parts: [
            { name: "userid", value: "${{ user }}", encode: true },
            { name: "password", value: "p@ss word", encode: true },
          ],
        },
      }),
      resolved({
        method: "PUT",
        headers: [{ name: "Content-Type", value: "application/x-www-form-urlencoded" }],
        body: "userid=alice&password=p%40ss+word",
      }),
    ],
    [
      "a JSON body with templates in strings only",
      spec({
        method: "POST",
        body: {
          kind: "json",
          value: { user: "${{ user }}", n: 1, list: ["${{ token }}", null, true], "${{ key }}": "k" },
        },
      }),
      resolved({
        method: "POST",
        headers: [{ name: "Content-Type", value: "application/json" }],
        body: '{"user":"alice","n":1,"list":["abc123",null,true],"${{ key }}":"k"}',
      }),
    ],
    [
      "a text body keeps the spec's own Content-Type",
      spec({
        method: "POST",
        headers: [{ name: "content-type", value: "text/plain" }],
        body: { kind: "text", text: "${{ token }}", contentType: "application/json" },
      }),
      resolved({ method: "POST", headers: [{ name: "content-type", value: "text/plain" }], body: "abc123" }),
    ],
    [
      "a raw body without a content type",
      spec({ method: "POST", body: { kind: "text", text: "hello", contentType: undefined } }),
      resolved({ method: "POST", body: "hello" }),
    ],
    [
      "basic auth",
      spec({ basicAuth: { username: "${{ user }}", password: "${{ env.TOKEN }}" } }),
      resolved({
        headers: [
          { name: "Authorization", value: `Basic ${Buffer.from("alice:s3cret").toString("base64")}` },
        ],
      }),
    ],
    [
      "basic auth does not replace an explicit Authorization header",
      spec({
        headers: [{ name: "authorization", value: "Bearer x" }],
        basicAuth: { username: "a", password: "b" },
      }),
      resolved({ headers: [{ name: "authorization", value: "Bearer x" }] }),
    ],
    [
      "timeout and redirects",
      spec({ timeoutMs: 500, followRedirects: true }),
      resolved({ timeoutMs: 500, followRedirects: true }),
    ],
  ])("resolves %s", (_, request, expected) => {
    expect(interpolateRequest(request, vars, env)).toEqual(expected);
  });

  it.each<[string, HttpRequestSpec, string]>([
    [
      "an unknown variable",
      spec({ destination: { kind: "service", target, path: "/token/${{ tokn }}" } }),
      "${{ tokn }} is not defined",
    ],
    [
      "an unknown variable in a JSON body",
      spec({ body: { kind: "json", value: ["${{ nope }}"] } }),
      "${{ nope }} is not defined",
    ],
    [
      "an unset env variable",
      spec({ headers: [{ name: "X", value: "${{ env.NOPE }}" }] }),
      "${{ env.NOPE }} is not set",
    ],
    [
      "a URL that is not absolute",
      spec({ destination: { kind: "url", url: "${{ user }}/x" } }),
      "the URL 'alice/x' is not an absolute http:// or https:// URL",
    ],
    [
      "a path without /",
      spec({ destination: { kind: "service", target, path: "${{ user }}" } }),
      "the path 'alice' must start with /",
    ],
  ])("refuses %s, naming the test", (_, request, message) => {
    let error: unknown;
    try {
      interpolateRequest(request, vars, env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: "ConfigurationError", location });
    expect((error as Error).message).toContain(`test "Verify token": ${message}`);
  });
});

describe("listRequestTemplates", () => {
  it("lists every string that may hold a template", () => {
    const request = spec({
      headers: [{ name: "H", value: "h" }],
      query: [{ name: "q", value: "v", encode: true }],
      basicAuth: { username: "u", password: "p" },
      body: { kind: "json", value: { a: ["j1", { b: "j2" }], n: 3 } },
    });
    expect(listRequestTemplates(request)).toEqual(["/user", "h", "q", "v", "u", "p", "j1", "j2"]);
  });
});

describe("encodeUrlEncodedParts", () => {
  it.each([
    [[{ name: "a b", value: "c&d=e", encode: true }], "a+b=c%26d%3De"],
    [[{ name: undefined, value: "x y", encode: true }], "x+y"],
    [
      [
        { name: undefined, value: "a=1&b=2", encode: false },
        { name: "c", value: "é", encode: true },
      ],
      "a=1&b=2&c=%C3%A9",
    ],
  ])("encodes %j", (parts, text) => {
    expect(encodeUrlEncodedParts(parts)).toBe(text);
  });
});

const TEMPLATED_SPEC = [
  "target: app:8080",
  "tests:",
  "  - name: Page",
  "    request: GET /page/${{ env.PAGE }}",
  "    capture: { page: body }",
  "  - name: Echo",
  "    request: GET /echo",
  "    expect:",
  '      body: { equals: "${{ page }}", contains: "${{ env.PAGE }}", not-contains: x, matches: "^${{ page }}$" }',
  "      headers: { X-Page: '${{ page }}' }",
  "",
].join("\n");

describe("interpolateExpectation", () => {
  const spec = parseSpec(TEMPLATED_SPEC, "spec.yml");
  const echo = spec.tests[1]!;

  it("fills equals, contains and not-contains of the body and headers, not regular expressions", () => {
    const filled = interpolateExpectation(echo.expect, { page: "p1" }, { PAGE: "1" }, 'test "Echo"');
    expect(filled.body.map((check) => (check.kind === "matches" ? check.pattern : check.value))).toEqual([
      "p1",
      "1",
      "x",
      "^${{ page }}$",
    ]);
    expect(filled.headers[0]?.checks).toMatchObject([{ kind: "equals", value: "p1" }]);
    expect(echo.expect.body[0]).toMatchObject({ value: "${{ page }}" });
  });

  it("reports an unset name at the matcher", () => {
    expect(() => interpolateExpectation(echo.expect, { page: "p1" }, {}, 'test "Echo"')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('test "Echo": expect: ${{ env.PAGE }} is not set'),
        location: { file: "spec.yml", line: 9, column: 48 },
      }),
    );
  });
});

describe("listEnvReferences", () => {
  it("lists the env templates of requests and expectations where they are written", () => {
    expect(listEnvReferences(parseSpec(TEMPLATED_SPEC, "spec.yml"))).toEqual([
      { name: "PAGE", location: { file: "spec.yml", line: 4, column: 14 } },
      { name: "PAGE", location: { file: "spec.yml", line: 9, column: 48 } },
    ]);
  });
});
