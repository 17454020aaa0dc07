import { describe, expect, it } from "vitest";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";
import { SpecError } from "../../../src/rules/spec/spec-reader.js";

function lines(...text: string[]): string {
  return `${text.join("\n")}\n`;
}

/** The spec around one test, so each case shows only what it is about. */
function withTest(...test: string[]): string {
  return lines("target: goauth:9000", "tests:", ...test);
}

function parseError(text: string): SpecError {
  try {
    parseSpec(text, "specs/auth.yml");
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error("expected parseSpec to throw");
}

describe("parseSpec errors", () => {
  it.each<[string, string, string, number, number]>([
    [
      "a YAML syntax error",
      lines("tests:", "  - name: a", "    request: [", "  - b"),
      "YAML syntax error: ",
      4,
      3,
    ],
    [
      "a duplicate key",
      lines("tests:", "  - name: a", "    name: b"),
      "YAML syntax error: Map keys must be unique",
      3,
      5,
    ],
    ["an empty file", "", "the spec is empty; it needs `tests:`", 1, 1],
    ["a comment-only file", "# nothing yet\n", "the spec is empty", 1, 1],
    [
      "a list at the top",
      lines("- name: a"),
      "the spec must be a mapping of keys to values; got a list",
      1,
      1,
    ],
    [
      "a misspelt top-level key",
      lines("target: goauth:9000", "tets: []"),
      "unknown top-level key: `tets` (did you mean `tests`?); allowed keys: name, target, wait, setup, teardown, tests",
      2,
      1,
    ],
    [
      "no tests",
      lines("name: auth", "target: goauth:9000"),
      "the spec has no `tests:`; add a list of tests",
      1,
      1,
    ],
    [
      "an empty list of tests",
      lines("target: goauth:9000", "tests: []"),
      "`tests` is empty; a spec with no tests would pass without checking anything",
      2,
      8,
    ],
    ["tests that are not a list", lines("tests: { a: 1 }"), "`tests` must be a list; got a mapping", 1, 8],
    [
      "a test that is not a mapping",
      withTest("  - GET /user"),
      "test #1: a test must be a mapping with name, request and expect; got 'GET /user'",
      3,
      5,
    ],
    ["a test without a name", withTest("  - curl: /user"), "test #1: a test needs a `name`", 3, 5],
    [
      "an empty name",
      withTest("  - name: ''", "    curl: /user"),
      "test #1: `name` must not be empty",
      3,
      11,
    ],
    [
      "a name that is not text",
      withTest("  - name: [a]", "    curl: /user"),
      "test #1: `name` must be text; got a list",
      3,
      11,
    ],
    [
      "a duplicate test name",
      withTest("  - name: Login", "    curl: /login", "  - name: Login", "    curl: /login"),
      'test "Login": another test (line 3) has the same name; names must be unique in a file',
      5,
      11,
    ],
    [
      "a misspelt test key",
      withTest("  - name: Login", "    curl: /login", "    expct: { status: 200 }"),
      'test "Login": unknown key in a test: `expct` (did you mean `expect`?); allowed keys: name, target, request, curl, expect, capture, retry, skip, continue-on-error',
      5,
      5,
    ],
    [
      "a test without a request",
      withTest("  - name: Login", "    expect: { status: 200 }"),
      'test "Login": a test needs a `request` (or a `curl` command) to send',
      3,
      5,
    ],
    [
      "both request and curl",
      withTest("  - name: Login", "    request: GET /login", "    curl: /login"),
      'test "Login": give either `request` or `curl`, not both',
      5,
      5,
    ],
    [
      "an unsupported curl flag",
      withTest("  - name: Login", "    curl: -k -X POST /login"),
      'test "Login": curl: the flag -k is not supported: certificates are always checked; services are reached over plain http, so give a path or an http:// URL',
      4,
      11,
    ],
    [
      "an unknown curl flag",
      withTest("  - name: Login", "    curl: --frobnicate -X POST /login"),
      'test "Login": curl: the flag --frobnicate is not supported; supported flags: -X/--request',
      4,
      11,
    ],
    [
      "a curl command that is not text",
      withTest("  - name: Login", "    curl: [-X, POST]"),
      'test "Login": `curl` must be text; got a list',
      4,
      11,
    ],
    [
      "a misspelt request key",
      withTest("  - name: Login", "    request:", "      methd: POST", "      path: /login"),
      'test "Login": unknown key in `request`: `methd` (did you mean `method`?); allowed keys: method, path, url, target, headers, query, form, json, body, basic-auth, timeout, follow-redirects',
      5,
      7,
    ],
    [
      "a request with path and url",
      withTest("  - name: Login", "    request:", "      path: /login", "      url: http://x/login"),
      'test "Login": `request` has both `path` and `url`; use path (relative to the target) or url (absolute), not both',
      6,
      7,
    ],
    [
      "a request with neither path nor url",
      withTest("  - name: Login", "    request:", "      method: POST"),
      'test "Login": `request` needs a `path` (relative to the target) or a `url`',
      5,
      7,
    ],
    [
      "a request with two bodies",
      withTest(
        "  - name: Login",
        "    request:",
        "      path: /login",
        "      form: { a: 1 }",
        "      json: { a: 1 }",
      ),
      'test "Login": `request` has both `form` and `json`; a request has one body: form, json or body',
      7,
      7,
    ],
    [
      "a bad method",
      withTest("  - name: Login", "    request: { method: 'GET ME', path: /login }"),
      "test \"Login\": `request.method` must be an HTTP method like GET or POST; got 'GET ME'",
      4,
      24,
    ],
    [
      "a path without a leading slash",
      withTest("  - name: Login", "    request: { path: login }"),
      "test \"Login\": `request.path` must start with / (like /user); got 'login'",
      4,
      22,
    ],
    [
      "a request line that is not one",
      withTest("  - name: Login", "    request: GET /login now"),
      'test "Login": `request` must look like "GET /health"; got \'GET /login now\'',
      4,
      14,
    ],
    [
      "a url that is not http",
      withTest("  - name: Login", "    request: { url: 'ftp://x/y' }"),
      "test \"Login\": `request.url` must be an http:// or https:// URL; got 'ftp://x/y'",
      4,
      21,
    ],
    [
      "a path without any target",
      lines("tests:", "  - name: Login", "    curl: /login"),
      'test "Login": `curl` is a path, but no target is set; add `target: service:port` at the top of the spec or to this test, or use a full URL',
      3,
      11,
    ],
    [
      "a bad default target",
      lines("target: goauth", "tests:", "  - name: Login", "    curl: /login"),
      "`target`: 'goauth' is not a target; write the compose service and its container port, like goauth:9000",
      1,
      9,
    ],
    [
      "a bad test target",
      withTest("  - name: Login", "    target: goauth:http", "    curl: /login"),
      "test \"Login\": `target`: 'goauth:http' is not a target",
      4,
      13,
    ],
    [
      "a bad request target",
      withTest("  - name: Login", "    request: { path: /login, target: 'db:99999' }"),
      "test \"Login\": `request.target`: 'db:99999' is not a target",
      4,
      38,
    ],
    [
      "a target on the test and on the request",
      withTest("  - name: Login", "    target: a:1", "    request: { path: /login, target: 'b:2' }"),
      'test "Login": the test sets `target` and `request.target`; keep one of them',
      5,
      30,
    ],
    [
      "a test target with a full URL",
      withTest("  - name: Login", "    target: a:1", "    curl: http://a:1/login"),
      'test "Login": `curl` is a full URL, so the test\'s `target` has no effect; remove the target or give a path',
      5,
      11,
    ],
    [
      "headers that are not text",
      withTest("  - name: Login", "    request: { path: /login, headers: { X-A: [1, 2] } }"),
      'test "Login": `request.headers.X-A` must be text; got a list',
      4,
      46,
    ],
    [
      "a bad header name",
      withTest("  - name: Login", "    request: { path: /login, headers: { 'X A': 1 } }"),
      "test \"Login\": `request.headers`: 'X A' is not a valid header name",
      4,
      41,
    ],
    [
      "basic-auth without a password",
      withTest("  - name: Login", "    request: { path: /login, basic-auth: alice }"),
      'test "Login": `request.basic-auth` must be "user:password" or a mapping with username and password; got \'alice\'',
      4,
      42,
    ],
    [
      "basic-auth missing a key",
      withTest("  - name: Login", "    request: { path: /login, basic-auth: { username: a } }"),
      "password is missing",
      4,
      42,
    ],
    [
      "a bad request timeout",
      withTest("  - name: Login", "    request: { path: /login, timeout: soon }"),
      "test \"Login\": `request.timeout`: 'soon' is not a duration; write it like 500ms, 60s, 2m or 1m30s, or as a number of seconds",
      4,
      39,
    ],
    [
      "a zero request timeout",
      withTest("  - name: Login", "    request: { path: /login, timeout: 0s }"),
      'test "Login": `request.timeout` must be longer than 0',
      4,
      39,
    ],
    [
      "a status that is a word",
      withTest("  - name: Login", "    curl: /login", "    expect:", "      status: ok"),
      "test \"Login\": `expect.status` must be a number, a list of numbers or a class like 2xx; got 'ok'",
      6,
      15,
    ],
    [
      "a status out of range",
      withTest("  - name: Login", "    curl: /login", "    expect: { status: 99 }"),
      "`expect.status` must be a number, a list of numbers or a class like 2xx; got 99",
      5,
      23,
    ],
    [
      "a bad status in a list",
      withTest("  - name: Login", "    curl: /login", "    expect: { status: [200, 6xx] }"),
      "`expect.status` must be a number, a list of numbers or a class like 2xx; got '6xx'",
      5,
      29,
    ],
    [
      "an empty status list",
      withTest("  - name: Login", "    curl: /login", "    expect: { status: [] }"),
      "`expect.status` must be a number, a list of numbers or a class like 2xx; got an empty list",
      5,
      23,
    ],
    [
      "a misspelt expect key",
      withTest("  - name: Login", "    curl: /login", "    expect:", "      statuz: 200"),
      'test "Login": unknown key in `expect`: `statuz` (did you mean `status`?); allowed keys: status, headers, body, json, duration',
      6,
      7,
    ],
    [
      "an empty expect",
      withTest("  - name: Login", "    curl: /login", "    expect: {}"),
      'test "Login": `expect` is empty; give at least one of status, headers, body, json, duration',
      5,
      13,
    ],
    [
      "an unknown body matcher",
      withTest("  - name: Login", "    curl: /login", "    expect:", "      body: { has: x }"),
      "unknown key in `expect.body`: `has`; allowed keys: equals, contains, not-contains, matches",
      6,
      15,
    ],
    [
      "an empty body matcher",
      withTest("  - name: Login", "    curl: /login", "    expect:", "      body: {}"),
      "`expect.body` is an empty matcher; give at least one of equals, contains, not-contains, matches",
      6,
      13,
    ],
    [
      "a bad regex",
      withTest("  - name: Login", "    curl: /login", "    expect:", "      body: { matches: '^[0-9a-f+$' }"),
      'test "Login": `expect.body.matches` is not a valid regular expression: Invalid regular expression: /^[0-9a-f+$/: Unterminated character class',
      6,
      24,
    ],
    [
      "a contains list with a mapping",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    expect:",
        "      body: { contains: [a, { b: 1 }] }",
      ),
      "`expect.body.contains` must be text; got a mapping",
      6,
      29,
    ],
    [
      "a header matcher with exists: false and more",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    expect:",
        "      headers:",
        "        X-Debug: { exists: false, contains: a }",
      ),
      "`expect.headers.X-Debug`: exists: false cannot be combined with other matchers",
      7,
      28,
    ],
    [
      "a header named twice",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    expect:",
        "      headers:",
        "        X-A: a",
        "        x-a: b",
      ),
      "`expect.headers` names x-a twice (header names ignore case)",
      8,
      9,
    ],
    [
      "an invalid JSONPath",
      withTest("  - name: Login", "    curl: /login", "    expect:", "      json:", "        $.items[0: 1"),
      "test \"Login\": `expect.json`: '$.items[0' is not a valid JSONPath: unclosed bracketed selection (at character 10)",
      7,
      9,
    ],
    [
      "a JSONPath not starting with $",
      withTest("  - name: Login", "    curl: /login", "    expect:", "      json:", "        token: abc"),
      "'token' is not a valid JSONPath: a JSONPath starts with $ (like $.token or $.items[0].id) (at character 1)",
      7,
      9,
    ],
    [
      "an object compared without equals",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    expect:",
        "      json:",
        "        $.user: { name: alice }",
      ),
      "`expect.json.$.user`: a mapping here is a matcher (equals, exists, type, length, matches) and `name` is not one; to compare with an object, write it under `equals:`",
      7,
      19,
    ],
    [
      "an unknown JSON type",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    expect:",
        "      json:",
        "        $.id: { type: int }",
      ),
      "`expect.json.$.id.type` must be one of string, number, boolean, object, array, null; got 'int'",
      7,
      23,
    ],
    [
      "a negative length",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    expect:",
        "      json:",
        "        $.id: { length: -1 }",
      ),
      "`expect.json.$.id.length` must be a whole number of 0 or more; got -1",
      7,
      25,
    ],
    [
      "a JSON regex that does not compile",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    expect:",
        "      json:",
        "        $.id: { matches: '(' }",
      ),
      "`expect.json.$.id.matches` is not a valid regular expression",
      7,
      26,
    ],
    [
      "a bad duration limit",
      withTest("  - name: Login", "    curl: /login", "    expect: { duration: fast }"),
      "`expect.duration`: 'fast' is not a duration",
      5,
      25,
    ],
    [
      "a duration limit that is a list",
      withTest("  - name: Login", "    curl: /login", "    expect: { duration: [1] }"),
      "`expect.duration` must be a duration like 500ms, 60s or 2m, or a number of seconds; got a list",
      5,
      25,
    ],
    [
      "an unknown capture source",
      withTest("  - name: Login", "    curl: /login", "    capture:", "      token: bod"),
      "test \"Login\": `capture.token` must be body, { json: $.path }, { header: Name } or { regex: 'pattern' }; got 'bod'",
      6,
      14,
    ],
    [
      "a capture with two sources",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    capture:",
        "      token: { json: $.t, header: X-T }",
      ),
      "give exactly one source",
      6,
      14,
    ],
    [
      "a capture with an unknown source key",
      withTest("  - name: Login", "    curl: /login", "    capture:", "      token: { jsn: $.t }"),
      "unknown key in `capture.token`: `jsn` (did you mean `json`?); allowed keys: json, header, regex",
      6,
      16,
    ],
    [
      "a capture with a bad JSONPath",
      withTest("  - name: Login", "    curl: /login", "    capture:", "      token: { json: '$.[' }"),
      "`capture.token.json`: '$.[' is not a valid JSONPath",
      6,
      22,
    ],
    [
      "a capture with a bad regex",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    capture:",
        "      token: { regex: 'token=(\\w+' }",
      ),
      "`capture.token.regex` is not a valid regular expression",
      6,
      23,
    ],
    [
      "a capture named env",
      withTest("  - name: Login", "    curl: /login", "    capture:", "      env: body"),
      "`capture`: 'env' cannot be a variable name",
      6,
      7,
    ],
    [
      "a capture with a bad name",
      withTest("  - name: Login", "    curl: /login", "    capture:", "      1token: body"),
      "`capture`: '1token' cannot be a variable name; use letters, digits, _ and - (not starting with a digit), and not env",
      6,
      7,
    ],
    [
      "a variable no earlier test captures",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    capture: { token: body }",
        "  - name: Verify",
        "    curl: \"-H 'Authorization: Bearer ${{ tokn }}' /verify\"",
      ),
      'test "Verify": ${{ tokn }} is not captured by an earlier test (did you mean token?); captured before this test: token',
      7,
      11,
    ],
    [
      "a variable the same test captures",
      withTest("  - name: Login", "    curl: /login/${{ token }}", "    capture: { token: body }"),
      'test "Login": ${{ token }} is not captured by an earlier test; no earlier test captures anything',
      4,
      11,
    ],
    [
      "an expected body that uses a variable nobody captured",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    capture: { token: body }",
        "  - name: Echo",
        "    curl: /echo",
        "    expect:",
        '      body: { contains: "${{ tokn }}" }',
      ),
      'test "Echo": ${{ tokn }} is not captured by an earlier test (did you mean token?); captured before this test: token',
      9,
      25,
    ],
    [
      "an expected header that uses the test's own capture",
      withTest(
        "  - name: Login",
        "    curl: /login",
        "    expect:",
        "      headers: { X-Token: '${{ token }}' }",
        "    capture: { token: body }",
      ),
      'test "Login": ${{ token }} is not captured by an earlier test; no earlier test captures anything',
      6,
      27,
    ],
    [
      "a malformed template",
      withTest("  - name: Login", "    request: { path: '/login/${{ a.b }}' }"),
      'test "Login": ${{ a.b }} is not a variable',
      4,
      14,
    ],
    [
      "a negative retry",
      withTest("  - name: Login", "    curl: /login", "    retry: -1"),
      "`retry` must be a whole number of 0 or more; got -1",
      5,
      12,
    ],
    [
      "a retry without count",
      withTest("  - name: Login", "    curl: /login", "    retry: { interval: 1s }"),
      "`retry` needs a `count`: how many times to retry after the first attempt",
      5,
      12,
    ],
    [
      "a bad retry interval",
      withTest("  - name: Login", "    curl: /login", "    retry: { count: 3, interval: often }"),
      "`retry.interval`: 'often' is not a duration",
      5,
      34,
    ],
    [
      "a skip that is a list",
      withTest("  - name: Login", "    curl: /login", "    skip: [a]"),
      "`skip` must be true, false or the reason to skip; got a list",
      5,
      11,
    ],
    [
      "a continue-on-error that is not a boolean",
      withTest("  - name: Login", "    curl: /login", "    continue-on-error: yes"),
      "`continue-on-error` must be true or false; got 'yes'",
      5,
      24,
    ],
    [
      "a wait without a request",
      lines("target: goauth:9000", "wait:", "  timeout: 10s", "tests:", "  - name: a", "    curl: /"),
      '`wait` needs a `request`, like request: "GET /health"',
      3,
      3,
    ],
    [
      "a bad wait timeout",
      lines(
        "target: goauth:9000",
        "wait:",
        "  request: GET /health",
        "  timeout: 1 minute",
        "tests:",
        "  - name: a",
        "    curl: /",
      ),
      "`wait.timeout`: '1 minute' is not a duration",
      4,
      12,
    ],
    [
      "a wait that uses a captured variable",
      lines(
        "target: goauth:9000",
        "wait:",
        "  request: GET /health/${{ x }}",
        "tests:",
        "  - name: a",
        "    curl: /",
      ),
      "${{ x }} is not captured by an earlier test",
      3,
      12,
    ],
    [
      "a misspelt wait key",
      lines(
        "target: goauth:9000",
        "wait:",
        "  request: GET /health",
        "  timout: 5s",
        "tests:",
        "  - name: a",
        "    curl: /",
      ),
      "unknown key in `wait`: `timout` (did you mean `timeout`?); allowed keys: request, status, timeout, interval",
      4,
      3,
    ],
    [
      "a step without exec",
      lines("target: goauth:9000", "setup:", "  - run: ls", "tests:", "  - name: a", "    curl: /"),
      "unknown key in `setup[0]`: `run`; allowed keys: exec",
      3,
      5,
    ],
    [
      "an exec without a command",
      lines(
        "target: goauth:9000",
        "teardown:",
        "  - exec: { service: db }",
        "tests:",
        "  - name: a",
        "    curl: /",
      ),
      "`teardown[0].exec` needs both `service` (a compose service) and `command` (a list of arguments)",
      3,
      11,
    ],
    [
      "an exec on a bad service name",
      lines(
        "target: goauth:9000",
        "setup:",
        "  - exec: { service: 'my db', command: [ls] }",
        "tests:",
        "  - name: a",
        "    curl: /",
      ),
      "`setup[0].exec.service`: 'my db' is not a compose service name",
      3,
      22,
    ],
    [
      "an empty exec command",
      lines(
        "target: goauth:9000",
        "setup:",
        "  - exec: { service: db, command: [] }",
        "tests:",
        "  - name: a",
        "    curl: /",
      ),
      "`setup[0].exec.command` is empty; give the program and its arguments",
      3,
      35,
    ],
    [
      "an exec command with shell syntax",
      lines(
        "target: goauth:9000",
        "setup:",
        "  - exec: { service: db, command: 'a | b' }",
        "tests:",
        "  - name: a",
        "    curl: /",
      ),
      "`setup[0].exec.command`: '|' is shell syntax",
      3,
      35,
    ],
  ])("reports %s", (_, text, message, line, column) => {
    const error = parseError(text);
    expect(error.problems[0]?.message).toContain(message);
    expect(error.location).toEqual({ file: "specs/auth.yml", line, column });
    expect(error.message).toContain(`specs/auth.yml:${line}:${column}: `);
  });

  it("collects every problem in the file, in file order, each with its location", () => {
    const error = parseError(
      lines(
        "target: goauth",
        "tests:",
        "  - name: Login",
        "    curl: -k /login",
        "    expect: { status: ok }",
        "  - name: Login",
        "    curl: /login",
      ),
    );
    expect(error).toBeInstanceOf(SpecError);
    expect(error.name).toBe("ConfigurationError");
    expect(error.problems.map((problem) => [problem.location.line, problem.location.column])).toEqual([
      [1, 9],
      [4, 11],
      [5, 23],
      [6, 11],
    ]);
    const messageLines = error.message.split("\n");
    expect(messageLines).toHaveLength(4);
    expect(messageLines[0]).toMatch(/^specs\/auth\.yml:1:9: `target`: 'goauth' is not a target/);
    expect(messageLines[1]).toMatch(
      /^specs\/auth\.yml:4:11: test "Login": curl: the flag -k is not supported/,
    );
    expect(messageLines[2]).toMatch(/^specs\/auth\.yml:5:23: test "Login": `expect.status` must be/);
    expect(messageLines[3]).toMatch(/^specs\/auth\.yml:6:11: test "Login": another test \(line 3\)/);
  });

  it("lists at most 20 problems", () => {
    const tests = Array.from({ length: 30 }, (_, index) => [`  - name: t${index}`, "    curl: -k /"]).flat();
    const error = parseError(withTest(...tests));
    expect(error.problems).toHaveLength(30);
    expect(error.message.split("\n")).toHaveLength(21);
    expect(error.message).toMatch(/\(and 10 more problems\)$/);
  });
});
