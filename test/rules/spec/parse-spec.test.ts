import { describe, expect, it } from "vitest";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";
import type { HttpRequestSpec, SpecTest } from "../../../src/rules/spec/spec.js";
import { specTargets } from "../../../src/rules/spec/spec.js";

const FILE = "specs/auth.yml";
const at = (line: number, column: number) => ({ file: FILE, line, column });

function lines(...text: string[]): string {
  return `${text.join("\n")}\n`;
}

/** Parses a spec with one test (after a default target) and returns that test. */
function parseTest(...test: string[]): SpecTest {
  const spec = parseSpec(lines("target: goauth:9000", "tests:", ...test), FILE);
  const [first] = spec.tests;
  if (first === undefined) throw new Error("no test parsed");
  return first;
}

const EXAMPLE = lines(
  "# yaml-language-server: $schema=../schemas/compose-test-spec.schema.json",
  "name: goauth",
  "target: goauth:9000",
  "wait:",
  "  request: GET /health",
  "  status: 200",
  "  timeout: 60s",
  "setup:",
  "  - exec: { service: db, command: [redis-cli, -n, 0, FLUSHALL] }",
  "teardown:",
  "  - exec: { service: db, command: 'redis-cli FLUSHALL' }",
  "tests:",
  "  - name: Register User",
  "    request:",
  "      method: PUT",
  "      path: /user",
  "      form: { userid: USERNAME, password: PASSWORD }",
  "    expect:",
  "      status: 200",
  "  - name: Register User Conflict",
  "    curl: -X PUT -d userid=USERNAME -d password=PASSWORD /user",
  "    expect:",
  "      status: 409",
  "      body: { contains: exists }",
  "  - name: Get token",
  "    request: { method: GET, path: /token, query: { userid: USERNAME, password: PASSWORD } }",
  "    expect: { status: 200, body: { matches: '^[0-9a-f]+$' } }",
  "    capture:",
  "      token: body",
  "  - name: Verify token",
  "    curl: -X POST --data-raw '${{ token }}' /token/USERNAME",
  "    expect: { status: 200 }",
);

describe("parseSpec", () => {
  it("reads the example spec", () => {
    const spec = parseSpec(EXAMPLE, FILE);
    const target = { service: "goauth", port: 9000, location: at(3, 9) };
    expect(spec.name).toBe("goauth");
    expect(spec.target).toEqual(target);
    expect(spec.wait).toEqual({
      request: {
        method: "GET",
        destination: { kind: "service", target, path: "/health" },
        headers: [],
        query: [],
        body: undefined,
        basicAuth: undefined,
        timeoutMs: undefined,
        followRedirects: false,
        label: "wait",
        location: at(5, 12),
      },
      status: { codes: [200], classes: [], location: at(6, 11) },
      timeoutMs: 60_000,
      intervalMs: undefined,
      location: at(5, 3),
    });
    expect(spec.setup).toEqual([
      { kind: "exec", service: "db", command: ["redis-cli", "-n", "0", "FLUSHALL"], location: at(9, 22) },
    ]);
    expect(spec.teardown).toEqual([
      { kind: "exec", service: "db", command: ["redis-cli", "FLUSHALL"], location: at(11, 22) },
    ]);
    expect(spec.tests.map((test) => test.name)).toEqual([
      "Register User",
      "Register User Conflict",
      "Get token",
      "Verify token",
    ]);
    const [register, conflict, token, verify] = spec.tests;
    expect(register).toMatchObject({
      request: {
        method: "PUT",
        destination: { kind: "service", target, path: "/user" },
        body: {
          kind: "urlencoded",
          parts: [
            { name: "userid", value: "USERNAME", encode: true },
            { name: "password", value: "PASSWORD", encode: true },
          ],
        },
        label: 'test "Register User"',
        location: at(15, 7),
      },
      expect: { status: { codes: [200], classes: [], location: at(19, 15) } },
      capture: [],
      retry: undefined,
      skip: undefined,
      continueOnError: false,
      location: at(13, 5),
    });
    expect(conflict?.request).toMatchObject({
      method: "PUT",
      body: {
        kind: "urlencoded",
        parts: [
          { name: undefined, value: "userid=USERNAME", encode: false },
          { name: undefined, value: "password=PASSWORD", encode: false },
        ],
      },
      location: at(21, 11),
    });
    expect(conflict?.expect.body).toEqual([{ kind: "contains", value: "exists", location: at(24, 25) }]);
    expect(token?.request).toMatchObject({
      method: "GET",
      query: [
        { name: "userid", value: "USERNAME", encode: true },
        { name: "password", value: "PASSWORD", encode: true },
      ],
    });
    expect(token?.expect.body).toEqual([
      { kind: "matches", pattern: "^[0-9a-f]+$", regex: /^[0-9a-f]+$/, location: at(27, 45) },
    ]);
    expect(token?.capture).toEqual([{ variable: "token", source: { kind: "body" }, location: at(29, 14) }]);
    expect(verify?.request).toMatchObject({
      method: "POST",
      destination: { kind: "service", path: "/token/USERNAME" },
      body: { kind: "urlencoded", parts: [{ name: undefined, value: "${{ token }}", encode: false }] },
    });
  });

  it.each<[string, string[], Partial<HttpRequestSpec>]>([
    ["GET by default", ["    request: { path: /a }"], { method: "GET" }],
    ["POST when there is a body", ["    request: { path: /a, json: { a: 1 } }"], { method: "POST" }],
    ["the method upper-cased", ["    request: { method: patch, path: /a }"], { method: "PATCH" }],
    ["a request line", ["    request: DELETE /a"], { method: "DELETE" }],
    ["a request line without a method", ["    request: /a?x=1"], { method: "GET" }],
    [
      "a request line with a URL",
      ["    request: GET https://example.com/a"],
      { destination: { kind: "url", url: "https://example.com/a" } },
    ],
    [
      "a url",
      ["    request: { url: 'http://other:80/x' }"],
      { destination: { kind: "url", url: "http://other:80/x" } },
    ],
    [
      "a url from the environment",
      ["    request: { url: '${{ env.API }}/x' }"],
      { destination: { kind: "url", url: "${{ env.API }}/x" } },
    ],
    [
      "a request target",
      ["    request: { path: /a, target: 'db:5432' }"],
      {
        destination: {
          kind: "service",
          target: { service: "db", port: 5432, location: at(4, 34) },
          path: "/a",
        },
      },
    ],
    [
      "a test target",
      ["    target: other:8080", "    curl: /a"],
      {
        destination: {
          kind: "service",
          target: { service: "other", port: 8080, location: at(4, 13) },
          path: "/a",
        },
      },
    ],
    [
      "headers keep the spelling of numbers",
      ["    request: { path: /a, headers: { X-Id: 007, X-On: true, X-V: 1.10 } }"],
      {
        headers: [
          { name: "X-Id", value: "007" },
          { name: "X-On", value: "true" },
          { name: "X-V", value: "1.10" },
        ],
      },
    ],
    [
      "a repeated query parameter",
      ["    request: { path: /a, query: { id: [1, 2] } }"],
      {
        query: [
          { name: "id", value: "1", encode: true },
          { name: "id", value: "2", encode: true },
        ],
      },
    ],
    [
      "a JSON body of any shape",
      ["    request:", "      path: /a", "      json: [1, { b: null, c: '${{ env.X }}' }]"],
      { body: { kind: "json", value: [1, { b: null, c: "${{ env.X }}" }] } },
    ],
    [
      "a raw body",
      ["    request:", "      path: /a", "      body: |", "        line 1", "        line 2"],
      { method: "POST", body: { kind: "text", text: "line 1\nline 2\n", contentType: undefined } },
    ],
    [
      "basic-auth as a string",
      ["    request: { path: /a, basic-auth: 'alice:pw:x' }"],
      { basicAuth: { username: "alice", password: "pw:x" } },
    ],
    [
      "basic-auth as a mapping",
      ["    request: { path: /a, basic-auth: { username: alice, password: 1234 } }"],
      { basicAuth: { username: "alice", password: "1234" } },
    ],
    ["a timeout", ["    request: { path: /a, timeout: 2s }"], { timeoutMs: 2_000 }],
    ["a timeout in seconds", ["    request: { path: /a, timeout: 1.5 }"], { timeoutMs: 1_500 }],
    ["follow-redirects", ["    request: { path: /a, follow-redirects: true }"], { followRedirects: true }],
    ["curl -L", ["    curl: -sL /a"], { followRedirects: true }],
    [
      "an anchored request reused by an alias",
      ["    request: &req { path: /a, headers: { X-A: b } }"],
      { headers: [{ name: "X-A", value: "b" }] },
    ],
  ])("reads a request: %s", (_, test, expected) => {
    expect(parseTest("  - name: t", ...test).request).toMatchObject(expected);
  });

  it("resolves aliases to anchored nodes", () => {
    const spec = parseSpec(
      lines(
        "target: goauth:9000",
        "tests:",
        "  - name: a",
        "    request: &req { method: POST, path: /a, form: { x: 1 } }",
        "  - name: b",
        "    request: *req",
      ),
      FILE,
    );
    expect(spec.tests[1]?.request).toMatchObject({ method: "POST", body: { kind: "urlencoded" } });
  });

  it("reads the per-test settings", () => {
    const spec = parseSpec(
      lines(
        "target: goauth:9000",
        "tests:",
        "  - name: plain",
        "    curl: /",
        "  - name: retried",
        "    curl: /",
        "    retry: 5",
        "  - name: retried slowly",
        "    curl: /",
        "    retry: { count: 3, interval: 250ms }",
        "  - name: skipped",
        "    curl: /",
        "    skip: true",
        "  - name: skipped with a reason",
        "    curl: /",
        "    skip: flaky upstream",
        "  - name: not skipped",
        "    curl: /",
        "    skip: false",
        "    continue-on-error: true",
      ),
      FILE,
    );
    expect(
      spec.tests.map((test) => ({
        name: test.name,
        retry: test.retry,
        skip: test.skip,
        continueOnError: test.continueOnError,
      })),
    ).toEqual([
      { name: "plain", retry: undefined, skip: undefined, continueOnError: false },
      {
        name: "retried",
        retry: { retries: 5, intervalMs: 1_000, location: at(7, 12) },
        skip: undefined,
        continueOnError: false,
      },
      {
        name: "retried slowly",
        retry: { retries: 3, intervalMs: 250, location: at(10, 12) },
        skip: undefined,
        continueOnError: false,
      },
      { name: "skipped", retry: undefined, skip: { reason: undefined }, continueOnError: false },
      {
        name: "skipped with a reason",
        retry: undefined,
        skip: { reason: "flaky upstream" },
        continueOnError: false,
      },
      { name: "not skipped", retry: undefined, skip: undefined, continueOnError: true },
    ]);
  });

  it("expects a 2xx status when a test has no expect", () => {
    const test = parseTest("  - name: t", "    curl: /");
    expect(test.expect).toEqual({
      status: { codes: [], classes: [2], location: at(3, 5) },
      headers: [],
      body: [],
      json: [],
      jsonLocation: undefined,
      maxDurationMs: undefined,
      location: at(3, 5),
    });
  });

  it.each([
    ["200", { codes: [200], classes: [] }],
    ["'201'", { codes: [201], classes: [] }],
    ["2xx", { codes: [], classes: [2] }],
    ["4XX", { codes: [], classes: [4] }],
    ["[200, 204]", { codes: [200, 204], classes: [] }],
    ["[200, 3xx]", { codes: [200], classes: [3] }],
  ])("reads status %s", (status, expected) => {
    const test = parseTest("  - name: t", "    curl: /", `    expect: { status: ${status} }`);
    expect(test.expect.status).toMatchObject(expected);
  });

  it("reads every matcher with its own location", () => {
    const test = parseTest(
      "  - name: t",
      "    curl: /",
      "    expect:",
      "      headers:",
      "        Content-Type: application/json",
      "        X-Trace: { matches: '^[a-f0-9]{8}$', not-contains: zero }",
      "        X-Debug: { exists: false }",
      "        ETag: { exists: true }",
      "      body:",
      "        equals: '{}'",
      "        contains: [a, b]",
      "        not-contains: error",
      "      json:",
      "        $.token: abc",
      "        $.items: { length: 2, type: array }",
      "        $.items[*].id: [1, 2]",
      "        $.user: { equals: { name: alice } }",
      "        $.missing: { exists: false }",
      "        $.name: { matches: '^a' }",
      "      duration: 500ms",
    );
    const expectation = test.expect;
    expect(expectation.status).toBeUndefined();
    expect(expectation.headers).toEqual([
      {
        name: "content-type",
        present: true,
        checks: [{ kind: "equals", value: "application/json", location: at(7, 23) }],
        location: at(7, 23),
      },
      {
        name: "x-trace",
        present: true,
        checks: [
          { kind: "not-contains", value: "zero", location: at(8, 60) },
          { kind: "matches", pattern: "^[a-f0-9]{8}$", regex: /^[a-f0-9]{8}$/, location: at(8, 29) },
        ],
        location: at(8, 18),
      },
      { name: "x-debug", present: false, checks: [], location: at(9, 18) },
      { name: "etag", present: true, checks: [], location: at(10, 15) },
    ]);
    expect(expectation.body).toEqual([
      { kind: "equals", value: "{}", location: at(12, 17) },
      { kind: "contains", value: "a", location: at(13, 20) },
      { kind: "contains", value: "b", location: at(13, 23) },
      { kind: "not-contains", value: "error", location: at(14, 23) },
    ]);
    expect(expectation.jsonLocation).toEqual(at(16, 9));
    expect(
      expectation.json.map((json) => ({
        path: json.path.source,
        definite: json.path.definite,
        checks: json.checks,
      })),
    ).toEqual([
      { path: "$.token", definite: true, checks: [{ kind: "equals", value: "abc", location: at(16, 18) }] },
      {
        path: "$.items",
        definite: true,
        checks: [
          { kind: "type", value: "array", location: at(17, 37) },
          { kind: "length", value: 2, location: at(17, 28) },
        ],
      },
      {
        path: "$.items[*].id",
        definite: false,
        checks: [{ kind: "equals", value: [1, 2], location: at(18, 24) }],
      },
      {
        path: "$.user",
        definite: true,
        checks: [{ kind: "equals", value: { name: "alice" }, location: at(19, 27) }],
      },
      { path: "$.missing", definite: true, checks: [{ kind: "exists", value: false, location: at(20, 30) }] },
      {
        path: "$.name",
        definite: true,
        checks: [{ kind: "matches", pattern: "^a", regex: /^a/, location: at(21, 28) }],
      },
    ]);
    expect(expectation.maxDurationMs).toEqual({ value: 500, location: at(22, 17) });
  });

  it("reads every capture source", () => {
    const test = parseTest(
      "  - name: t",
      "    curl: /",
      "    capture:",
      "      whole: body",
      "      token: { json: $.data.token }",
      "      session: { header: Set-Cookie }",
      "      id: { regex: 'id=(\\d+)' }",
    );
    expect(
      test.capture.map((capture) => ({
        variable: capture.variable,
        kind: capture.source.kind,
        line: capture.location.line,
      })),
    ).toEqual([
      { variable: "whole", kind: "body", line: 6 },
      { variable: "token", kind: "json", line: 7 },
      { variable: "session", kind: "header", line: 8 },
      { variable: "id", kind: "regex", line: 9 },
    ]);
    expect(test.capture[2]?.source).toEqual({ kind: "header", name: "set-cookie" });
    expect(test.capture[3]?.source).toMatchObject({ kind: "regex", pattern: "id=(\\d+)" });
  });

  it("leaves an unset wait timeout to the runner and reads a wait request mapping", () => {
    const spec = parseSpec(
      lines(
        "wait:",
        "  request: { url: 'http://localhost:8080/ready', headers: { X-Probe: '1' } }",
        "  interval: 250ms",
        "tests:",
        "  - name: a",
        "    curl: http://localhost:8080/",
      ),
      FILE,
    );
    expect(spec.target).toBeUndefined();
    expect(spec.wait).toMatchObject({
      request: { destination: { kind: "url", url: "http://localhost:8080/ready" }, label: "wait" },
      status: { codes: [], classes: [2] },
      timeoutMs: undefined,
      intervalMs: 250,
    });
  });

  it("accepts env templates and captures from earlier tests", () => {
    const spec = parseSpec(
      lines(
        "target: goauth:9000",
        "tests:",
        "  - name: a",
        "    curl: /a",
        "    capture: { token: { json: $.token } }",
        "  - name: b",
        "    request:",
        "      path: /b/${{ token }}",
        "      headers: { Authorization: 'Bearer ${{ token }}', X-Env: '${{ env.RUN_ID }}' }",
      ),
      FILE,
    );
    expect(spec.tests[1]?.request.destination).toMatchObject({ path: "/b/${{ token }}" });
  });
});

describe("specTargets", () => {
  it("lists each service reference once, where it is written", () => {
    const spec = parseSpec(
      lines(
        "target: goauth:9000",
        "wait:",
        "  request: GET /health",
        "setup:",
        "  - exec: { service: db, command: [ls] }",
        "tests:",
        "  - name: a",
        "    curl: /a",
        "  - name: b",
        "    target: admin:8081",
        "    curl: /b",
        "  - name: c",
        "    request: { path: /c, target: 'metrics:9100' }",
        "  - name: d",
        "    curl: http://example.com/",
        "teardown:",
        "  - exec: { service: cache, command: [ls] }",
      ),
      FILE,
    );
    expect(specTargets(spec)).toEqual([
      { service: "goauth", port: 9000, role: "target", location: at(1, 9) },
      { service: "db", port: undefined, role: "exec", location: at(5, 22) },
      { service: "admin", port: 8081, role: "target", location: at(10, 13) },
      { service: "metrics", port: 9100, role: "target", location: at(13, 34) },
      { service: "cache", port: undefined, role: "exec", location: at(17, 22) },
    ]);
  });
});
