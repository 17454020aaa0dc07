import { ConfigurationError, type SourceLocation } from "../../errors.js";
import { parseDuration } from "./duration.js";
import { splitShellWords } from "./shell-words.js";
import type { BasicAuth, HeaderField, RequestBody, UrlEncodedPart } from "./spec.js";

/**
 * What a curl command asks for, before the spec gives a path its target.
 * Exactly one of `path` (starts with `/`, relative to the target) and `url`
 * (absolute, used as written) is set.
 */
export interface CurlRequest {
  method: string;
  path: string | undefined;
  url: string | undefined;
  headers: HeaderField[];
  query: UrlEncodedPart[];
  body: RequestBody | undefined;
  basicAuth: BasicAuth | undefined;
  timeoutMs: number | undefined;
  followRedirects: boolean;
}

interface CurlState {
  method: string | undefined;
  head: boolean;
  get: boolean;
  urls: string[];
  /** `-H` headers with a value (empty for `Name;`), in order; repeated names are all sent. */
  headers: HeaderField[];
  /** Lower-case names of `-H 'Name:'`: curl then leaves out its own header of that name. */
  omitted: Set<string>;
  cookies: string[];
  userAgent: string | undefined;
  referer: string | undefined;
  bearer: string | undefined;
  data: UrlEncodedPart[];
  urlQuery: UrlEncodedPart[];
  json: string[];
  basicAuth: BasicAuth | undefined;
  timeoutMs: number | undefined;
  followRedirects: boolean;
}

/** Sent unless `-A`/`-H` replace them or `-H 'Name:'` leaves them out, as curl sends its own. */
export const CURL_DEFAULT_USER_AGENT = "goflow-compose-test";
const CURL_DEFAULT_ACCEPT = "*/*";

interface CurlFlag {
  short?: string;
  long: string;
  /** Omitted for flags that take no value. */
  apply?: (state: CurlState, value: string) => void;
  set?: (state: CurlState) => void;
  /** Accepted for copy-paste convenience; only changes what curl prints, which is never shown. */
  ignored?: true;
}

const FILE_DATA_MESSAGE =
  "reading request data from a file (@file) is not supported; put the data in the spec, or use --data-raw to send a literal @";

const CURL_FLAGS: readonly CurlFlag[] = [
  {
    short: "X",
    long: "request",
    apply: (state, value) => {
      state.method = value;
    },
  },
  { short: "d", long: "data", apply: (state, value) => state.data.push(readPlainData(value)) },
  { long: "data-ascii", apply: (state, value) => state.data.push(readPlainData(value)) },
  { long: "data-binary", apply: (state, value) => state.data.push(readPlainData(value)) },
  { long: "data-raw", apply: (state, value) => state.data.push({ name: undefined, value, encode: false }) },
  { long: "data-urlencode", apply: (state, value) => state.data.push(readUrlencodeData(value)) },
  { long: "url-query", apply: (state, value) => state.urlQuery.push(readUrlQuery(value)) },
  { long: "json", apply: (state, value) => state.json.push(readJsonData(value)) },
  {
    short: "G",
    long: "get",
    set: (state) => {
      state.get = true;
    },
  },
  { short: "H", long: "header", apply: (state, value) => readHeader(state, value) },
  {
    short: "u",
    long: "user",
    apply: (state, value) => {
      state.basicAuth = readUser(value);
    },
  },
  {
    long: "oauth2-bearer",
    apply: (state, value) => {
      state.bearer = value;
    },
  },
  // Basic is what -u sends anyway; the flag only confirms it.
  { long: "basic", set: () => undefined },
  {
    short: "A",
    long: "user-agent",
    apply: (state, value) => {
      state.userAgent = value;
    },
  },
  {
    short: "e",
    long: "referer",
    apply: (state, value) => {
      state.referer = readReferer(value);
    },
  },
  { short: "b", long: "cookie", apply: (state, value) => state.cookies.push(readCookie(value)) },
  {
    short: "I",
    long: "head",
    set: (state) => {
      state.head = true;
    },
  },
  {
    short: "L",
    long: "location",
    set: (state) => {
      state.followRedirects = true;
    },
  },
  {
    short: "m",
    long: "max-time",
    apply: (state, value) => {
      state.timeoutMs = readMaxTime(value);
    },
  },
  { long: "url", apply: (state, value) => state.urls.push(value) },
  { short: "s", long: "silent", ignored: true },
  { short: "S", long: "show-error", ignored: true },
  { short: "f", long: "fail", ignored: true },
  { long: "fail-with-body", ignored: true },
  { short: "v", long: "verbose", ignored: true },
  { short: "i", long: "include", ignored: true },
  { long: "compressed", ignored: true },
  { long: "no-progress-meter", ignored: true },
];

const FLAGS_BY_NAME = new Map<string, CurlFlag>(
  CURL_FLAGS.flatMap((flag) => {
    const names: [string, CurlFlag][] = [[`--${flag.long}`, flag]];
    if (flag.short !== undefined) names.push([`-${flag.short}`, flag]);
    return names;
  }),
);

/** The list printed when a flag is refused. */
export function describeSupportedCurlFlags(): string {
  const name = (flag: CurlFlag): string =>
    flag.short === undefined ? `--${flag.long}` : `-${flag.short}/--${flag.long}`;
  const used = CURL_FLAGS.filter((flag) => flag.ignored !== true).map(name);
  const ignored = CURL_FLAGS.filter((flag) => flag.ignored === true).map(name);
  return `${used.join(", ")}; accepted and ignored: ${ignored.join(", ")}`;
}

/**
 * Reads the `curl:` shorthand: the flags people paste from scripts, tokenised
 * with shell quoting but never run by a shell. Errors are ConfigurationErrors
 * at `location` (the `curl:` value).
 */
export function parseCurlCommand(command: string, location: SourceLocation): CurlRequest {
  const fail = (message: string): never => {
    throw new ConfigurationError(`curl: ${message}`, location);
  };
  let words: string[];
  try {
    words = splitShellWords(command);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (words[0] === "curl") words.shift();

  const state: CurlState = {
    method: undefined,
    head: false,
    get: false,
    urls: [],
    headers: [],
    omitted: new Set(),
    cookies: [],
    userAgent: undefined,
    referer: undefined,
    bearer: undefined,
    data: [],
    urlQuery: [],
    json: [],
    basicAuth: undefined,
    timeoutMs: undefined,
    followRedirects: false,
  };
  const applyFlag = (
    flag: CurlFlag,
    name: string,
    inlineValue: string | undefined,
    index: number,
  ): number => {
    if (flag.apply === undefined) {
      flag.set?.(state);
      return index;
    }
    let value = inlineValue;
    let next = index;
    if (value === undefined) {
      next = index + 1;
      value = words[next];
    }
    if (value === undefined) return fail(`${name} needs a value`);
    try {
      flag.apply(state, value);
    } catch (error) {
      return fail(`${name} ${quoteWord(value)}: ${(error as Error).message}`);
    }
    return next;
  };

  let optionsEnded = false;
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? "";
    if (optionsEnded || !word.startsWith("-") || word === "-") {
      state.urls.push(word);
    } else if (word === "--") {
      optionsEnded = true;
    } else if (word.startsWith("--")) {
      const flag = FLAGS_BY_NAME.get(word);
      if (flag === undefined) return fail(describeUnsupportedFlag(word));
      index = applyFlag(flag, word, undefined, index);
    } else {
      // Short flags combine (`-sS`, `-sSL`) and take their value attached (`-XPUT`) or as the next word.
      for (let at = 1; at < word.length; at++) {
        const name = `-${word[at]}`;
        const flag = FLAGS_BY_NAME.get(name);
        if (flag === undefined) return fail(describeUnsupportedFlag(name));
        if (flag.apply !== undefined) {
          const attached = word.slice(at + 1);
          index = applyFlag(flag, name, attached === "" ? undefined : attached, index);
          break;
        }
        flag.set?.(state);
      }
    }
  }
  return buildCurlRequest(state, fail);
}

function buildCurlRequest(state: CurlState, fail: (message: string) => never): CurlRequest {
  if (state.urls.length === 0) return fail("give the path (like /user) or URL to request");
  if (state.urls.length > 1) {
    return fail(
      `only one URL per test; found ${state.urls.map(quoteWord).join(" and ")} (quote values that contain spaces)`,
    );
  }
  const { path, url } = readTarget(state.urls[0] ?? "", fail);

  if (state.json.length > 0 && state.data.length > 0) return fail("use either --json or -d/--data, not both");
  if (state.json.length > 0 && state.get) return fail("-G/--get cannot send --json data in the query string");
  if (state.bearer !== undefined && state.basicAuth !== undefined) {
    return fail("use either -u/--user or --oauth2-bearer, not both");
  }

  const query: UrlEncodedPart[] = [...state.urlQuery];
  let body: RequestBody | undefined;
  if (state.json.length > 0) {
    // curl concatenates repeated --json data as is.
    body = { kind: "text", text: state.json.join(""), contentType: "application/json" };
  } else if (state.data.length > 0) {
    if (state.get) query.push(...state.data);
    else body = { kind: "urlencoded", parts: state.data };
  }
  const method = state.method ?? (state.head ? "HEAD" : body !== undefined ? "POST" : "GET");
  return {
    method: method.toUpperCase(),
    path,
    url,
    headers: buildCurlHeaders(state),
    query,
    body,
    basicAuth: state.basicAuth,
    timeoutMs: state.timeoutMs,
    followRedirects: state.followRedirects,
  };
}

/**
 * A path, or a URL read as curl reads it: without a scheme it is http
 * (`goauth:9000/user` is `http://goauth:9000/user`).
 */
function readTarget(
  target: string,
  fail: (message: string) => never,
): { path: string | undefined; url: string | undefined } {
  if (target.startsWith("/")) return { path: target, url: undefined };
  if (/^https?:\/\//i.test(target) || target.startsWith("${{")) return { path: undefined, url: target };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(target)?.[1];
  if (scheme !== undefined)
    return fail(`'${target}': only http:// and https:// URLs can be requested, not ${scheme}://`);
  if (target === "" || /^[?#]/.test(target))
    return fail(`'${target}' is neither a path starting with / nor a URL`);
  return { path: undefined, url: `http://${target}` };
}

/**
 * The header lines curl sends, in curl's order: its own (Authorization for a
 * bearer token, User-Agent, Accept, Referer, Cookie), each left out when an
 * `-H` of that name replaces or removes it, then every `-H` as written.
 */
function buildCurlHeaders(state: CurlState): HeaderField[] {
  const custom = new Set([...state.headers.map((header) => header.name.toLowerCase()), ...state.omitted]);
  const own: [string, string | undefined][] = [
    ["Authorization", state.bearer === undefined ? undefined : `Bearer ${state.bearer}`],
    ["User-Agent", state.userAgent ?? CURL_DEFAULT_USER_AGENT],
    ["Accept", state.json.length > 0 ? "application/json" : CURL_DEFAULT_ACCEPT],
    ["Referer", state.referer],
    // curl joins repeated -b into one Cookie header.
    ["Cookie", state.cookies.length === 0 ? undefined : state.cookies.join("; ")],
  ];
  const headers: HeaderField[] = [];
  for (const [name, value] of own) {
    if (value !== undefined && !custom.has(name.toLowerCase())) headers.push({ name, value });
  }
  return [...headers, ...state.headers];
}

/** Flags curl has that a test cannot use, with what to write instead. */
const UNSUPPORTED_FLAGS: readonly { names: readonly string[]; instead: string }[] = [
  {
    names: ["-k", "--insecure"],
    instead:
      "certificates are always checked; services are reached over plain http, so give a path or an http:// URL",
  },
  {
    names: ["-o", "--output", "-O", "--remote-name"],
    instead: "the response is checked with expect:; drop the flag",
  },
  {
    names: ["-D", "--dump-header"],
    instead: "check headers with expect: headers:, or capture: { header: Name }",
  },
  {
    names: ["-w", "--write-out"],
    instead: "check the status and time with expect: status: and expect: duration:",
  },
  {
    names: ["-c", "--cookie-jar"],
    instead: "capture: { header: Set-Cookie } and send it with -b in a later test",
  },
  {
    names: ["-F", "--form", "--form-string"],
    instead:
      "multipart forms are not supported; send url-encoded data with -d/--data-urlencode, or request: body:",
  },
  {
    names: ["-T", "--upload-file"],
    instead: "put the data in the spec with --data-binary, or request: body:",
  },
  {
    names: ["--digest", "--ntlm", "--negotiate", "--anyauth", "--aws-sigv4"],
    instead:
      "only Basic auth (-u) and --oauth2-bearer are supported; send the header with -H 'Authorization: ...'",
  },
  {
    names: ["-x", "--proxy", "--noproxy", "--socks5"],
    instead: "requests go to the service directly; drop the flag",
  },
  {
    names: ["--resolve", "--connect-to"],
    instead:
      "write the compose service as the URL's host (goauth:9000/user), or -H 'Host: ...' for another name",
  },
  {
    names: ["--retry", "--retry-delay", "--retry-max-time"],
    instead: "give the test retry: { count, interval }",
  },
  {
    names: ["--connect-timeout"],
    instead: "-m/--max-time limits the whole request, or give the test timeout:",
  },
  { names: ["-r", "--range"], instead: "send -H 'Range: bytes=...'" },
  { names: ["-K", "--config"], instead: "write the flags in the curl: line itself" },
  {
    names: ["--http2", "--http2-prior-knowledge", "--http3", "--http0.9"],
    instead: "requests are sent as HTTP/1.1; drop the flag",
  },
];

function describeUnsupportedFlag(flag: string): string {
  const known = UNSUPPORTED_FLAGS.find((entry) => entry.names.includes(flag));
  if (known !== undefined) return `the flag ${flag} is not supported: ${known.instead}`;
  const hint = flag.includes("=")
    ? ` (curl takes the value as the next word: ${flag.replace("=", " ")})`
    : "";
  return `the flag ${flag} is not supported${hint}; supported flags: ${describeSupportedCurlFlags()}`;
}

function readPlainData(value: string): UrlEncodedPart {
  if (value.startsWith("@")) throw new Error(FILE_DATA_MESSAGE);
  return { name: undefined, value, encode: false };
}

/** curl's forms: `content`, `=content`, `name=content`; `@file` and `name@file` read files. */
function readUrlencodeData(value: string): UrlEncodedPart {
  const separator = /[=@]/.exec(value);
  if (separator === null) return { name: undefined, value, encode: true };
  if (separator[0] === "@") throw new Error(FILE_DATA_MESSAGE);
  const name = value.slice(0, separator.index);
  const content = value.slice(separator.index + 1);
  return { name: name === "" ? undefined : name, value: content, encode: true };
}

/** `--url-query`: as --data-urlencode, except that `+content` is added as written. */
function readUrlQuery(value: string): UrlEncodedPart {
  if (value.startsWith("+")) return { name: undefined, value: value.slice(1), encode: false };
  return readUrlencodeData(value);
}

function readJsonData(value: string): string {
  if (value.startsWith("@")) throw new Error(FILE_DATA_MESSAGE);
  return value;
}

const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * `-H 'Name: value'` is sent as written (every repeat too), `-H 'Name;'` is
 * sent with an empty value, and `-H 'Name:'` sends nothing: it only removes
 * curl's own header of that name (User-Agent, Accept, ...).
 */
function readHeader(state: CurlState, value: string): void {
  if (value.startsWith("@")) throw new Error("reading headers from a file (@file) is not supported");
  const colon = value.indexOf(":");
  const trimmed = value.trim();
  if (colon < 0 && trimmed.endsWith(";") && HEADER_NAME_PATTERN.test(trimmed.slice(0, -1).trim())) {
    state.headers.push({ name: trimmed.slice(0, -1).trim(), value: "" });
    return;
  }
  const name = colon < 0 ? "" : value.slice(0, colon).trim();
  if (colon < 0 || !HEADER_NAME_PATTERN.test(name)) {
    throw new Error("a header is written 'Name: value' (or 'Name;' for an empty value)");
  }
  const content = value.slice(colon + 1).trim();
  if (content === "") state.omitted.add(name.toLowerCase());
  else state.headers.push({ name, value: content });
}

function readUser(value: string): BasicAuth {
  const colon = value.indexOf(":");
  if (colon < 0) throw new Error("give both user and password as user:password (curl would prompt for it)");
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

function readCookie(value: string): string {
  // curl reads a cookie file when the value has no `=`.
  if (!value.includes("=")) throw new Error("reading cookies from a file is not supported; write name=value");
  return value;
}

function readReferer(value: string): string {
  // `;auto` asks curl to update the Referer on redirects; the first request sends what precedes it.
  const referer = value.endsWith(";auto") ? value.slice(0, -";auto".length) : value;
  if (referer === "") throw new Error("--referer ';auto' alone is not supported; give the URL to send");
  return referer;
}

function readMaxTime(value: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(value)) throw new Error("give a number of seconds");
  return parseDuration(Number(value));
}

function quoteWord(word: string): string {
  return `'${word}'`;
}
