import { describe, expect, it } from "vitest";
import {
  CURL_DEFAULT_USER_AGENT,
  type CurlRequest,
  parseCurlCommand,
} from "../../../src/rules/spec/curl-command.js";
import type { HeaderField } from "../../../src/rules/spec/spec.js";

const location = { file: "spec.yml", line: 7, column: 11 };

const userAgent = { name: "User-Agent", value: CURL_DEFAULT_USER_AGENT };
const accept = { name: "Accept", value: "*/*" };

/** The headers curl sends of its own, then `extra`. */
const sent = (...extra: HeaderField[]): HeaderField[] => [userAgent, accept, ...extra];

function request(overrides: Partial<CurlRequest>): CurlRequest {
  return {
    method: "GET",
    path: "/user",
    url: undefined,
    headers: sent(),
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
        headers: sent({ name: "Content-Type", value: "text/plain" }, { name: "X-Trace", value: "abc" }),
      }),
    ],
    // Repeated headers are all sent, each on its own line, in order (curl does not merge -H).
    [
      "-H 'X-Tag: a' -H 'Accept: text/html' -H 'x-tag: b' -H 'Accept: application/json' /user",
      request({
        headers: [
          userAgent,
          { name: "X-Tag", value: "a" },
          { name: "Accept", value: "text/html" },
          { name: "x-tag", value: "b" },
          { name: "Accept", value: "application/json" },
        ],
      }),
    ],
    // `Name:` sends nothing and leaves out curl's own header; `Name;` sends an empty one.
    ["--header 'X-Empty:' /user", request({})],
    ["-H 'Accept:' -H 'User-Agent:' /user", request({ headers: [] })],
    ["-H 'X-Empty;' /user", request({ headers: sent({ name: "X-Empty", value: "" }) })],
    ["-H ' X-Empty ; ' /user", request({ headers: sent({ name: "X-Empty", value: "" }) })],
    [
      "-H 'Host: api.example.com' /user",
      request({ headers: sent({ name: "Host", value: "api.example.com" }) }),
    ],
    ["-u alice:s3cr:et /user", request({ basicAuth: { username: "alice", password: "s3cr:et" } })],
    ["--user alice: /user", request({ basicAuth: { username: "alice", password: "" } })],
    [
      `--json '{"a":1}' /user`,
      request({
        method: "POST",
        body: { kind: "text", text: '{"a":1}', contentType: "application/json" },
        headers: [userAgent, { name: "Accept", value: "application/json" }],
      }),
    ],
    [
      `--json '{"a":' --json '1}' -H 'accept: */*' /user`,
      request({
        method: "POST",
        body: { kind: "text", text: '{"a":1}', contentType: "application/json" },
        headers: [userAgent, { name: "accept", value: "*/*" }],
      }),
    ],
    ["-A goflow/1 /user", request({ headers: [{ name: "User-Agent", value: "goflow/1" }, accept] })],
    ["-A one -A two /user", request({ headers: [{ name: "User-Agent", value: "two" }, accept] })],
    [
      "-A goflow/1 -H 'user-agent: mine' /user",
      request({ headers: [accept, { name: "user-agent", value: "mine" }] }),
    ],
    ["-b 'a=1; b=2' /user", request({ headers: sent({ name: "Cookie", value: "a=1; b=2" }) })],
    // Repeated -b: one Cookie header, joined with '; ' as curl joins them.
    [
      "-b a=1 --cookie 'b=2; c=3' -b d=4 /user",
      request({ headers: sent({ name: "Cookie", value: "a=1; b=2; c=3; d=4" }) }),
    ],
    // A Cookie header of -H replaces what -b would send, as in curl.
    ["-b a=1 -H 'Cookie: b=2' /user", request({ headers: sent({ name: "Cookie", value: "b=2" }) })],
    [
      "--oauth2-bearer 'tok en' /user",
      request({ headers: [{ name: "Authorization", value: "Bearer tok en" }, userAgent, accept] }),
    ],
    [
      "--oauth2-bearer t -H 'Authorization: Token x' /user",
      request({ headers: sent({ name: "Authorization", value: "Token x" }) }),
    ],
    ["--basic -u alice:pw /user", request({ basicAuth: { username: "alice", password: "pw" } })],
    [
      "-e https://example.com/from /user",
      request({ headers: sent({ name: "Referer", value: "https://example.com/from" }) }),
    ],
    [
      "--referer 'https://example.com/;auto' /user",
      request({ headers: sent({ name: "Referer", value: "https://example.com/" }) }),
    ],
    // The Elasticsearch habit: a GET with a body, sent as such.
    [
      `-X GET localhost:9200/_search -H 'Content-Type: application/json' -d '{"query":{"match_all":{}}}'`,
      request({
        path: undefined,
        url: "http://localhost:9200/_search",
        headers: sent({ name: "Content-Type", value: "application/json" }),
        body: form([undefined, '{"query":{"match_all":{}}}', false]),
      }),
    ],
    [
      "-X POST -H $'X-Line: a\\tb' -d $'{\"a\":\\x31}' /user",
      request({
        method: "POST",
        headers: sent({ name: "X-Line", value: "a\tb" }),
        body: form([undefined, '{"a":1}', false]),
      }),
    ],
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
    // Without a scheme a URL is http, as curl reads it.
    [
      "curl -X PUT -d userid=alice goauth:9000/user",
      request({
        method: "PUT",
        path: undefined,
        url: "http://goauth:9000/user",
        body: form([undefined, "userid=alice", false]),
      }),
    ],
    ["localhost/user", request({ path: undefined, url: "http://localhost/user" })],
    ["user", request({ path: undefined, url: "http://user" })],
    [
      "--url-query 'q=a b' --url-query +raw=%20 /user",
      request({
        query: [
          { name: "q", value: "a b", encode: true },
          { name: undefined, value: "raw=%20", encode: false },
        ],
      }),
    ],
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
    [
      "--proxy-digest /user",
      "the flag --proxy-digest is not supported; supported flags: -X/--request, -d/--data,",
    ],
    ["-k /user", "the flag -k is not supported: certificates are always checked;"],
    ["--insecure /user", "the flag --insecure is not supported: certificates"],
    ["-sk /user", "the flag -k is not supported"],
    ["-o out.txt /user", "the flag -o is not supported: the response is checked with expect:; drop the flag"],
    [
      "-w '%{http_code}' /user",
      "the flag -w is not supported: check the status and time with expect: status:",
    ],
    [
      "-F a=@x /user",
      "the flag -F is not supported: multipart forms are not supported; send url-encoded data",
    ],
    ["--digest -u a:b /user", "the flag --digest is not supported: only Basic auth (-u) and --oauth2-bearer"],
    ["--retry 3 /user", "the flag --retry is not supported: give the test retry: { count, interval }"],
    ["--resolve goauth:80:127.0.0.1 /user", "the flag --resolve is not supported: write the compose service"],
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
    ["-H 'NoColon' /user", "-H 'NoColon': a header is written 'Name: value' (or 'Name;' for an empty value)"],
    ["-H 'Bad Name;' /user", "-H 'Bad Name;': a header is written 'Name: value'"],
    ["-u a:b --oauth2-bearer t /user", "use either -u/--user or --oauth2-bearer, not both"],
    ["-e ';auto' /user", "--referer ';auto' alone is not supported"],
    [
      "ftp://example.com/x",
      "'ftp://example.com/x': only http:// and https:// URLs can be requested, not ftp://",
    ],
    ["'?x=1'", "'?x=1' is neither a path starting with / nor a URL"],
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
    expect(() => parseCurlCommand("--no-such-flag /", location)).toThrow(
      "supported flags: -X/--request, -d/--data, --data-ascii, --data-binary, --data-raw, --data-urlencode, --url-query, --json, -G/--get, -H/--header, -u/--user, --oauth2-bearer, --basic, -A/--user-agent, -e/--referer, -b/--cookie, -I/--head, -L/--location, -m/--max-time, --url; accepted and ignored: -s/--silent, -S/--show-error, -f/--fail, --fail-with-body, -v/--verbose, -i/--include, --compressed, --no-progress-meter",
    );
  });
});
