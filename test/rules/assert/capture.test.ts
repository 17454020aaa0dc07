import { describe, expect, it } from "vitest";
import { applyCaptures } from "../../../src/rules/assert/capture.js";
import type { AssertionFailure, HttpResponse } from "../../../src/rules/assert/failure.js";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";
import type { CaptureSpec } from "../../../src/rules/spec/spec.js";

const FILE = "specs/api.yml";
const at = (line: number, column: number) => ({ file: FILE, line, column });

/** The captures of a one-test spec; the first capture is on line 6. */
function captures(...capture: string[]): CaptureSpec[] {
  const text = ["target: api:80", "tests:", "  - name: t", "    curl: /", "    capture:", ...capture].join(
    "\n",
  );
  return [...(parseSpec(`${text}\n`, FILE).tests[0]?.capture ?? [])];
}

function response(overrides: Partial<HttpResponse>): HttpResponse {
  return { status: 200, headers: {}, body: "", durationMs: 1, ...overrides };
}

const JSON_BODY = JSON.stringify({
  data: { token: "t0k3n", id: 42, ok: false, tags: ["a", "b"], nil: null },
});

describe("applyCaptures", () => {
  it.each<[string, string[], Partial<HttpResponse>, Record<string, string>]>([
    ["the whole body", ["      token: body"], { body: "abc123\n" }, { token: "abc123\n" }],
    ["a JSON string", ["      token: { json: $.data.token }"], { body: JSON_BODY }, { token: "t0k3n" }],
    ["a JSON number as text", ["      id: { json: $.data.id }"], { body: JSON_BODY }, { id: "42" }],
    ["a JSON boolean as text", ["      ok: { json: $.data.ok }"], { body: JSON_BODY }, { ok: "false" }],
    ["a JSON null as text", ["      nil: { json: $.data.nil }"], { body: JSON_BODY }, { nil: "null" }],
    [
      "a JSON array as JSON",
      ["      tags: { json: $.data.tags }"],
      { body: JSON_BODY },
      { tags: '["a","b"]' },
    ],
    [
      "the matches of a wildcard as JSON",
      ["      tags: { json: '$.data.tags[*]' }"],
      { body: JSON_BODY },
      { tags: '["a","b"]' },
    ],
    [
      "a header, any case",
      ["      session: { header: Set-Cookie }"],
      { headers: { "set-cookie": "sid=1; Path=/" } },
      { session: "sid=1; Path=/" },
    ],
    ["a regex group", ["      id: { regex: 'id=(\\d+)' }"], { body: "user id=17 created" }, { id: "17" }],
    ["a whole regex match", ["      id: { regex: '\\d+' }"], { body: "user 17" }, { id: "17" }],
    ["an empty group", ["      id: { regex: 'id=(\\d*);' }"], { body: "id=;" }, { id: "" }],
    [
      "several at once",
      ["      a: { json: $.data.token }", "      b: { json: $.data.id }", "      c: body"],
      { body: JSON_BODY },
      { a: "t0k3n", b: "42", c: JSON_BODY },
    ],
  ])("captures %s", (_, capture, actual, values) => {
    expect(applyCaptures(captures(...capture), response(actual))).toEqual({ values, failures: [] });
  });

  it.each<[string, string[], Partial<HttpResponse>, AssertionFailure[]]>([
    [
      "an empty body",
      ["      token: body"],
      { body: "" },
      [{ matcher: "capture token (body)", expected: "a body", actual: "an empty body", location: at(6, 14) }],
    ],
    [
      "a missing JSON value",
      ["      token: { json: $.data.missing }"],
      { body: JSON_BODY },
      [
        {
          matcher: "capture token (json $.data.missing)",
          expected: "a value",
          actual: "nothing at this path",
          location: at(6, 14),
        },
      ],
    ],
    [
      "a wildcard that matches nothing",
      ["      tags: { json: '$.nope[*]' }"],
      { body: JSON_BODY },
      [
        {
          matcher: "capture tags (json $.nope[*])",
          expected: "a value",
          actual: "nothing at this path",
          location: at(6, 13),
        },
      ],
    ],
    [
      "a body that is not JSON",
      ["      token: { json: $.token }", "      again: { json: $.other }"],
      { body: "<html>" },
      [
        {
          matcher: "capture token (json $.token)",
          expected: "a JSON body",
          actual: expect.stringMatching(/^invalid JSON \(.+\): "<html>"$/) as unknown as string,
          location: at(6, 14),
        },
        {
          matcher: "capture again (json $.other)",
          expected: "a JSON body",
          actual: expect.stringMatching(/^invalid JSON/) as unknown as string,
          location: at(7, 14),
        },
      ],
    ],
    [
      "a missing header",
      ["      session: { header: Set-Cookie }"],
      { headers: {} },
      [
        {
          matcher: "capture session (header set-cookie)",
          expected: "the header",
          actual: "no such header",
          location: at(6, 16),
        },
      ],
    ],
    [
      "a regex that does not match",
      ["      id: { regex: 'id=(\\d+)' }"],
      { body: "no id here" },
      [
        {
          matcher: "capture id (regex /id=(\\d+)/)",
          expected: "a match",
          actual: 'no match in "no id here"',
          location: at(6, 11),
        },
      ],
    ],
    [
      "a regex group that takes no part",
      ["      id: { regex: 'id|(x)' }"],
      { body: "id" },
      [
        {
          matcher: "capture id (regex /id|(x)/)",
          expected: "a match",
          actual: "group 1 did not take part in the match",
          location: at(6, 11),
        },
      ],
    ],
  ])("fails on %s", (_, capture, actual, failures) => {
    const result = applyCaptures(captures(...capture), response(actual));
    expect(result).toEqual({ values: {}, failures });
  });

  it("keeps what it found when another capture fails", () => {
    const result = applyCaptures(
      captures("      a: { json: $.data.id }", "      b: { header: X-B }"),
      response({ body: JSON_BODY }),
    );
    expect(result.values).toEqual({ a: "42" });
    expect(result.failures.map((failure) => failure.matcher)).toEqual(["capture b (header x-b)"]);
  });
});
