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
  headers: HeaderField[];
  data: UrlEncodedPart[];
  json: string[];
  basicAuth: BasicAuth | undefined;
  timeoutMs: number | undefined;
  followRedirects: boolean;
}

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
  { long: "json", apply: (state, value) => state.json.push(readJsonData(value)) },
  {
    short: "G",
    long: "get",
    set: (state) => {
      state.get = true;
    },
  },
  { short: "H", long: "header", apply: (state, value) => state.headers.push(readHeader(value)) },
  {
    short: "u",
    long: "user",
    apply: (state, value) => {
      state.basicAuth = readUser(value);
    },
  },
  {
    short: "A",
    long: "user-agent",
    apply: (state, value) => state.headers.push({ name: "User-Agent", value }),
  },
  { short: "b", long: "cookie", apply: (state, value) => state.headers.push(readCookie(value)) },
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
    data: [],
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
  const target = state.urls[0] ?? "";
  let path: string | undefined;
  let url: string | undefined;
  if (target.startsWith("/")) path = target;
  else if (/^https?:\/\//i.test(target) || target.startsWith("${{")) url = target;
  else return fail(`'${target}' is neither a path starting with / nor an http:// or https:// URL`);

  if (state.json.length > 0 && state.data.length > 0) return fail("use either --json or -d/--data, not both");
  if (state.json.length > 0 && state.get) return fail("-G/--get cannot send --json data in the query string");

  const headers = [...state.headers];
  const query: UrlEncodedPart[] = [];
  let body: RequestBody | undefined;
  if (state.json.length > 0) {
    // curl concatenates repeated --json data as is.
    body = { kind: "text", text: state.json.join(""), contentType: "application/json" };
    if (!headers.some((header) => header.name.toLowerCase() === "accept")) {
      headers.push({ name: "Accept", value: "application/json" });
    }
  } else if (state.data.length > 0) {
    if (state.get) query.push(...state.data);
    else body = { kind: "urlencoded", parts: state.data };
  }
  const method = state.method ?? (state.head ? "HEAD" : body !== undefined ? "POST" : "GET");
  return {
    method: method.toUpperCase(),
    path,
    url,
    headers,
    query,
    body,
    basicAuth: state.basicAuth,
    timeoutMs: state.timeoutMs,
    followRedirects: state.followRedirects,
  };
}

function describeUnsupportedFlag(flag: string): string {
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

function readJsonData(value: string): string {
  if (value.startsWith("@")) throw new Error(FILE_DATA_MESSAGE);
  return value;
}

function readHeader(value: string): HeaderField {
  if (value.startsWith("@")) throw new Error("reading headers from a file (@file) is not supported");
  const colon = value.indexOf(":");
  const name = colon < 0 ? "" : value.slice(0, colon).trim();
  if (colon < 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new Error("a header is written 'Name: value'");
  }
  return { name, value: value.slice(colon + 1).trim() };
}

function readUser(value: string): BasicAuth {
  const colon = value.indexOf(":");
  if (colon < 0) throw new Error("give both user and password as user:password (curl would prompt for it)");
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

function readCookie(value: string): HeaderField {
  // curl reads a cookie file when the value has no `=`.
  if (!value.includes("=")) throw new Error("reading cookies from a file is not supported; write name=value");
  return { name: "Cookie", value };
}

function readMaxTime(value: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(value)) throw new Error("give a number of seconds");
  return parseDuration(Number(value));
}

function quoteWord(word: string): string {
  return `'${word}'`;
}
