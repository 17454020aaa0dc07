import { describe, expect, it } from "vitest";
import {
  checkStatus,
  describeStatusExpectation,
  evaluateExpectation,
} from "../../../src/rules/assert/expectation.js";
import type { AssertionFailure, HttpResponse } from "../../../src/rules/assert/failure.js";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";
import type { Expectation } from "../../../src/rules/spec/spec.js";

const FILE = "specs/api.yml";

/** The expectation of a one-test spec; its `expect:` mapping starts on line 5. */
function expectation(...expect: string[]): Expectation {
  const lines = ["target: api:80", "tests:", "  - name: t", "    curl: /"];
  if (expect.length > 0) lines.push("    expect:", ...expect);
  const text = lines.join("\n");
  const test = parseSpec(`${text}\n`, FILE).tests[0];
  if (test === undefined) throw new Error("no test");
  return test.expect;
}

function response(overrides: Partial<HttpResponse>): HttpResponse {
  return { status: 200, headers: {}, body: "", durationMs: 12, ...overrides };
}

const at = (line: number, column: number) => ({ file: FILE, line, column });
const JSON_BODY = JSON.stringify({
  token: "a1b2c3",
  count: 3,
  ok: true,
  nothing: null,
  user: { name: "alice", roles: ["admin"] },
  items: [{ id: 1 }, { id: 2 }],
});

describe("evaluateExpectation passes", () => {
  it.each<[string, string[], Partial<HttpResponse>]>([
    ["a status code", ["      status: 200"], { status: 200 }],
    ["a status list", ["      status: [200, 201]"], { status: 201 }],
    ["a status class", ["      status: 4xx"], { status: 409 }],
    [
      "a header value, any case",
      ["      headers: { Content-Type: text/plain }"],
      { headers: { "content-type": "text/plain" } },
    ],
    [
      "a header matcher",
      ["      headers: { X-Id: { matches: '^\\d+$', contains: '4', not-contains: x } }"],
      { headers: { "x-id": "42" } },
    ],
    ["a header that exists", ["      headers: { ETag: { exists: true } }"], { headers: { etag: "W/1" } }],
    ["an absent header", ["      headers: { X-Debug: { exists: false } }"], { headers: {} }],
    ["a body", ["      body: ok"], { body: "ok" }],
    [
      "a body matcher",
      [
        "      body: { equals: 'user exists', contains: [user, exists], not-contains: error, matches: '^user' }",
      ],
      { body: "user exists" },
    ],
    [
      "a JSON value",
      ["      json: { $.token: a1b2c3, $.count: 3, $.ok: true, $.nothing: null }"],
      { body: JSON_BODY },
    ],
    [
      "a JSON object",
      ["      json: { $.user: { equals: { roles: [admin], name: alice } } }"],
      { body: JSON_BODY },
    ],
    ["a JSON list of matches", ["      json: { '$.items[*].id': [1, 2] }"], { body: JSON_BODY }],
    [
      "JSON existence",
      [
        "      json: { $.token: { exists: true }, $.missing: { exists: false }, $.nothing: { exists: true } }",
      ],
      { body: JSON_BODY },
    ],
    [
      "no matches counts as not existing",
      ["      json: { '$..nope': { exists: false, length: 0 } }"],
      { body: JSON_BODY },
    ],
    [
      "JSON types",
      [
        "      json:",
        "        $.token: { type: string }",
        "        $.count: { type: number }",
        "        $.ok: { type: boolean }",
        "        $.user: { type: object }",
        "        $.items: { type: array }",
        "        $.nothing: { type: 'null' }",
        "        $.items[*]: { type: array }",
      ],
      { body: JSON_BODY },
    ],
    [
      "JSON lengths",
      [
        "      json: { $.token: { length: 6 }, $.items: { length: 2 }, $.user: { length: 2 }, '$..id': { length: 2 } }",
      ],
      { body: JSON_BODY },
    ],
    ["a JSON regex", ["      json: { $.token: { matches: '^[a-z0-9]{6}$' } }"], { body: JSON_BODY }],
    ["a duration", ["      duration: 500ms"], { durationMs: 500 }],
  ])("%s", (_, expect_, actual) => {
    expect(evaluateExpectation(expectation(...expect_), response(actual))).toEqual([]);
  });
});

describe("evaluateExpectation fails", () => {
  it.each<[string, string[], Partial<HttpResponse>, AssertionFailure[]]>([
    [
      "a status code",
      ["      status: 200"],
      { status: 409 },
      [{ matcher: "status", expected: "200", actual: "409", location: at(6, 15) }],
    ],
    [
      "a status with the start of the body",
      ["      status: [200, 2xx, 301]"],
      { status: 500, body: `  database unavailable${"!".repeat(120)}` },
      [
        {
          matcher: "status",
          expected: "200, 301 or 2xx",
          actual: `500 (body: "database unavailable${"!".repeat(80)}…")`,
          location: at(6, 15),
        },
      ],
    ],
    [
      "the default 2xx of a test without expect",
      [],
      { status: 404 },
      [{ matcher: "status", expected: "2xx", actual: "404", location: at(3, 5) }],
    ],
    [
      "a missing header",
      ["      headers: { Content-Type: application/json }"],
      {},
      [{ matcher: "header content-type", expected: "present", actual: "absent", location: at(6, 32) }],
    ],
    [
      "a header value",
      ["      headers: { Content-Type: application/json }"],
      { headers: { "content-type": "text/html" } },
      [
        {
          matcher: "header content-type",
          expected: '"application/json"',
          actual: '"text/html"',
          location: at(6, 32),
        },
      ],
    ],
    [
      "a header that should be absent",
      ["      headers: { X-Debug: { exists: false } }"],
      { headers: { "x-debug": "on" } },
      [{ matcher: "header x-debug", expected: "absent", actual: '"on"', location: at(6, 27) }],
    ],
    [
      "every header matcher",
      ["      headers: { X-Id: { equals: '7', contains: '4', not-contains: '2', matches: '^x' } }"],
      { headers: { "x-id": "42" } },
      [
        { matcher: "header x-id", expected: '"7"', actual: '"42"', location: at(6, 34) },
        {
          matcher: "header x-id not-contains",
          expected: 'no "2"',
          actual: '"42" (at character 2)',
          location: at(6, 68),
        },
        { matcher: "header x-id matches", expected: "/^x/", actual: '"42"', location: at(6, 82) },
      ],
    ],
    [
      "a body",
      ["      body: ok"],
      { body: "not ok" },
      [{ matcher: "body", expected: '"ok"', actual: '"not ok"', location: at(6, 13) }],
    ],
    [
      "each body matcher, all reported",
      [
        "      body:",
        "        contains: [user, exists]",
        "        not-contains: [error]",
        "        matches: '^\\{'",
      ],
      { body: "error: no such thing" },
      [
        {
          matcher: "body contains",
          expected: '"user"',
          actual: '"error: no such thing"',
          location: at(7, 20),
        },
        {
          matcher: "body contains",
          expected: '"exists"',
          actual: '"error: no such thing"',
          location: at(7, 26),
        },
        {
          matcher: "body not-contains",
          expected: 'no "error"',
          actual: '"error: no such thing" (at character 1)',
          location: at(8, 24),
        },
        {
          matcher: "body matches",
          expected: "/^\\{/",
          actual: '"error: no such thing"',
          location: at(9, 18),
        },
      ],
    ],
    [
      "a long body, shortened",
      ["      body: { not-contains: secret }"],
      { body: `${"a".repeat(100)}secret${"b".repeat(100)}` },
      [
        {
          matcher: "body not-contains",
          expected: 'no "secret"',
          actual: `"…${"a".repeat(40)}secret${"b".repeat(40)}…" (at character 101)`,
          location: at(6, 29),
        },
      ],
    ],
    [
      "a body that is not JSON",
      ["      json:", "        $.token: abc"],
      { body: "<html>" },
      [
        {
          matcher: "json",
          expected: "a JSON body",
          actual: expect.stringMatching(/^invalid JSON \(.+\): "<html>"$/) as unknown as string,
          location: at(7, 9),
        },
      ],
    ],
    [
      "an empty body where JSON is expected",
      ["      json: { $.token: abc }"],
      { body: "" },
      [{ matcher: "json", expected: "a JSON body", actual: "an empty body", location: at(6, 13) }],
    ],
    [
      "JSON values",
      ["      json: { $.token: abc, $.count: '3', $.user: { equals: { name: bob } }, '$.items[*].id': [1] }"],
      { body: JSON_BODY },
      [
        { matcher: "json $.token", expected: '"abc"', actual: '"a1b2c3"', location: at(6, 24) },
        { matcher: "json $.count", expected: '"3"', actual: "3", location: at(6, 38) },
        {
          matcher: "json $.user",
          expected: '{"name":"bob"}',
          actual: '{"name":"alice","roles":["admin"]}',
          location: at(6, 61),
        },
        { matcher: "json $.items[*].id", expected: "[1]", actual: "[1,2]", location: at(6, 95) },
      ],
    ],
    [
      "a JSON path with nothing there",
      ["      json: { $.missing: 1, $.gone: { length: 1, exists: true } }"],
      { body: JSON_BODY },
      [
        { matcher: "json $.missing", expected: "1", actual: "nothing at this path", location: at(6, 26) },
        { matcher: "json $.gone exists", expected: "a value", actual: "nothing", location: at(6, 58) },
        { matcher: "json $.gone length", expected: "1", actual: "nothing at this path", location: at(6, 47) },
      ],
    ],
    [
      "a JSON value that should not exist",
      ["      json: { $.token: { exists: false } }"],
      { body: JSON_BODY },
      [{ matcher: "json $.token exists", expected: "no value", actual: '"a1b2c3"', location: at(6, 34) }],
    ],
    [
      "JSON type, length and regex",
      ["      json: { $.count: { type: string, length: 1, matches: '3' }, $.token: { length: 2 } }"],
      { body: JSON_BODY },
      [
        { matcher: "json $.count type", expected: "string", actual: "number 3", location: at(6, 32) },
        {
          matcher: "json $.count length",
          expected: "1",
          actual: "number 3, which has no length",
          location: at(6, 48),
        },
        {
          matcher: "json $.count matches",
          expected: "/3/",
          actual: "number 3, not a string",
          location: at(6, 60),
        },
        { matcher: "json $.token length", expected: "2", actual: '6 ("a1b2c3")', location: at(6, 86) },
      ],
    ],
    [
      "a JSON regex on a string",
      ["      json: { $.token: { matches: '^z' } }"],
      { body: JSON_BODY },
      [{ matcher: "json $.token matches", expected: "/^z/", actual: '"a1b2c3"', location: at(6, 35) }],
    ],
    [
      "a slow response",
      ["      duration: 500ms"],
      { durationMs: 742 },
      [{ matcher: "duration", expected: "at most 500ms", actual: "742ms", location: at(6, 17) }],
    ],
    [
      "everything at once, in order",
      ["      status: 201", "      headers: { X-A: b }", "      body: { contains: x }", "      duration: 1s"],
      { status: 500, body: "", durationMs: 2_500 },
      [
        { matcher: "status", expected: "201", actual: "500", location: at(6, 15) },
        { matcher: "header x-a", expected: "present", actual: "absent", location: at(7, 23) },
        { matcher: "body contains", expected: '"x"', actual: '""', location: at(8, 25) },
        { matcher: "duration", expected: "at most 1s", actual: "2.5s", location: at(9, 17) },
      ],
    ],
  ])("%s", (_, expect_, actual, failures) => {
    expect(evaluateExpectation(expectation(...expect_), response(actual))).toEqual(failures);
  });
});

describe("checkStatus", () => {
  const status = { codes: [200, 204], classes: [3], location: at(1, 1) };
  it.each([
    [200, true],
    [204, true],
    [301, true],
    [399, true],
    [201, false],
    [404, false],
  ])("%i → %s", (code, ok) => {
    expect(checkStatus(status, code)).toBe(ok);
  });

  it.each([
    [{ codes: [200], classes: [] }, "200"],
    [{ codes: [200, 201], classes: [] }, "200 or 201"],
    [{ codes: [200], classes: [2, 3] }, "200, 2xx or 3xx"],
  ])("describes %j as %s", (forms, text) => {
    expect(describeStatusExpectation({ ...forms, location: at(1, 1) })).toBe(text);
  });
});
