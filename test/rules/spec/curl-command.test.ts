import { describe, expect, it } from "vitest";
import { type CurlRequest, parseCurlCommand } from "../../../src/rules/spec/curl-command.js";

const location = { file: "spec.yml", line: 7, column: 11 };

function request(overrides: Partial<CurlRequest>): CurlRequest {
  return {
    method: "GET",
    path: "/user",
    url: undefined,
    headers: [],
    query: [],
    body: undefined,
    basicAuth: undefined,
    timeoutMs: undefined,
    followRedirects: false,
    ...overrides,
  };
}

const form = (...parts: [string | undefined, string, boolean][]) => ({
  kind: "urlencoded" as const,
  parts: parts.map(([name, value, encode]) => ({ name, value, encode })),
});

describe("parseCurlCommand", () => {
  it.each<[string, CurlRequest]>([
    ["/user", request({})],
    ["curl /user", request({})],
    ["-X PUT /user", request({ method: "PUT" })],
    ["--request delete /user", request({ method: "DELETE" })],
    ["-XPATCH /user", request({ method: "PATCH" })],
    ["-d userid=alice /user", request({ method: "POST", body: form([undefined, "userid=alice", false]) })],
    [
      "-X PUT -d userid=USERNAME -d password=PASSWORD /user",
      request({
        method: "PUT",
        body: form([undefined, "userid=USERNAME", false], [undefined, "password=PASSWORD", false]),
      }),
    ],
    ["--data a=1 /user", request({ method: "POST", body: form([undefined, "a=1", false]) })],
    ["--data-ascii a=1 /user", request({ method: "POST", body: form([undefined, "a=1", false]) })],
    ["--data-binary a=1 /user", request({ method: "POST", body: form([undefined, "a=1", false]) })],
    ["--data-raw @literal /user", request({ method: "POST", body: form([undefined, "@literal", false]) })],
    ["--data-urlencode 'name=a b&c' /user", request({ method: "POST", body: form(["name", "a b&c", true]) })],
    ["--data-urlencode '=a b' /user", request({ method: "POST", body: form([undefined, "a b", true]) })],
    ["--data-urlencode 'a b' /user", request({ method: "POST", body: form([undefined, "a b", true]) })],
    [
      "--data-urlencode email=user@example.com /user",
      request({ method: "POST", body: form(["email", "user@example.com", true]) }),
    ],
    [
      "-G -d userid=alice --data-urlencode 'q=a b' /user",
      request({
        query: [
          { name: undefined, value: "userid=alice", encode: false },
          { name: "q", value: "a b", encode: true },
        ],
      }),
    ],
    [
      "--get -d a=1 -X DELETE /user",
      request({ method: "DELETE", query: [{ name: undefined, value: "a=1", encode: false }] }),
    ],
    [
      "-H 'Content-Type: text/plain' -H 'X-Trace:  abc ' /user",
      request({
        headers: [
          { name: "Content-Type", value: "text/plain" },
          { name: "X-Trace", value: "abc" },
        ],
      }),
    ],
    ["--header 'X-Empty:' /user", request({ headers: [{ name: "X-Empty", value: "" }] })],
    ["-u alice:s3cr:et /user", request({ basicAuth: { username: "alice", password: "s3cr:et" } })],
    ["--user alice: /user", request({ basicAuth: { username: "alice", password: "" } })],
    [
      `--json '{"a":1}' /user`,
      request({
        method: "POST",
        body: { kind: "text", text: '{"a":1}', contentType: "application/json" },
        headers: [{ name: "Accept", value: "application/json" }],
      }),
    ],
    [
      `--json '{"a":' --json '1}' -H 'accept: */*' /user`,
      request({
        method: "POST",
        body: { kind: "text", text: '{"a":1}', contentType: "application/json" },
        headers: [{ name: "accept", value: "*/*" }],
      }),
    ],
    ["-A goflow/1 /user", request({ headers: [{ name: "User-Agent", value: "goflow/1" }] })],
    ["-b 'a=1; b=2' /user", request({ headers: [{ name: "Cookie", value: "a=1; b=2" }] })],
    ["-I /user", request({ method: "HEAD" })],
    ["--head -X GET /user", request({ method: "GET" })],
    ["-L /user", request({ followRedirects: true })],
    ["-m 2.5 /user", request({ timeoutMs: 2_500 })],
    ["--max-time 10 /user", request({ timeoutMs: 10_000 })],
    ["-sSfL /user", request({ followRedirects: true })],
    ["-sXPOST /user", request({ method: "POST" })],
    [
      "-s -S -f -v -i --silent --show-error --fail --fail-with-body --verbose --include --compressed --no-progress-meter /user",
      request({}),
    ],
    ["--url /user", request({})],
    ["-- /user", request({})],
    ["/user?x=1", request({ path: "/user?x=1" })],
    ["http://localhost:9000/user?x=1", request({ path: undefined, url: "http://localhost:9000/user?x=1" })],
    ["HTTPS://api.example.com", request({ path: undefined, url: "HTTPS://api.example.com" })],
    ["'${{ env.BASE_URL }}/user'", request({ path: undefined, url: "${{ env.BASE_URL }}/user" })],
    [
      "-X POST --data-raw '${{ token }}' /token/USERNAME",
      request({ method: "POST", path: "/token/USERNAME", body: form([undefined, "${{ token }}", false]) }),
    ],
    [
      "-d token=${{ token }} /user",
      request({ method: "POST", body: form([undefined, "token=${{ token }}", false]) }),
    ],
  ])("reads %j", (command, expected) => {
    expect(parseCurlCommand(command, location)).toEqual(expected);
  });

  it.each([
    ["-k /user", "the flag -k is not supported; supported flags: -X/--request, -d/--data,"],
    ["--insecure /user", "the flag --insecure is not supported"],
    ["-sk /user", "the flag -k is not supported"],
    ["-o out.txt /user", "the flag -o is not supported"],
    [
      "--request=POST /user",
      "the flag --request=POST is not supported (curl takes the value as the next word: --request POST)",
    ],
    ["-d @body.json /user", "-d '@body.json': reading request data from a file (@file) is not supported"],
    ["--data-binary @x /user", "reading request data from a file (@file) is not supported"],
    ["--data-urlencode @file /user", "reading request data from a file (@file) is not supported"],
    ["--data-urlencode name@file /user", "reading request data from a file (@file) is not supported"],
    ["--json @x.json /user", "reading request data from a file (@file) is not supported"],
    ["-H @headers.txt /user", "reading headers from a file (@file) is not supported"],
    ["-H 'NoColon' /user", "-H 'NoColon': a header is written 'Name: value'"],
    ["-H 'Bad Name: x' /user", "-H 'Bad Name: x': a header is written 'Name: value'"],
    ["-u alice /user", "-u 'alice': give both user and password as user:password (curl would prompt for it)"],
    ["-b cookies.txt /user", "reading cookies from a file is not supported"],
    ["-m soon /user", "-m 'soon': give a number of seconds"],
    ["-X", "-X needs a value"],
    ["-s", "give the path (like /user) or URL to request"],
    ["/a /b", "only one URL per test; found '/a' and '/b'"],
    [
      "-H Content-Type: text/plain /user",
      "only one URL per test; found 'text/plain' and '/user' (quote values that contain spaces)",
    ],
    ["user", "'user' is neither a path starting with / nor an http:// or https:// URL"],
    ["localhost:9000/user", "is neither a path starting with / nor an http:// or https:// URL"],
    ["--json {} -d a=1 /user", "use either --json or -d/--data, not both"],
    ["-G --json {} /user", "-G/--get cannot send --json data in the query string"],
    ["-d 'open /user", "a single quote (') is not closed"],
    ["/user | jq .", "'|' is shell syntax"],
  ])("refuses %j", (command, message) => {
    let error: unknown;
    try {
      parseCurlCommand(command, location);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: "ConfigurationError", location });
    expect((error as Error).message).toMatch(/^spec\.yml:7:11: curl: /);
    expect((error as Error).message).toContain(message);
  });

  it("lists every supported flag when refusing one", () => {
    expect(() => parseCurlCommand("-k /", location)).toThrow(
      "supported flags: -X/--request, -d/--data, --data-ascii, --data-binary, --data-raw, --data-urlencode, --json, -G/--get, -H/--header, -u/--user, -A/--user-agent, -b/--cookie, -I/--head, -L/--location, -m/--max-time, --url; accepted and ignored: -s/--silent, -S/--show-error, -f/--fail, --fail-with-body, -v/--verbose, -i/--include, --compressed, --no-progress-meter",
    );
  });
});
