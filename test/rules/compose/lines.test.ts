import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { parseEnvLines, parseServiceImageLines } from "../../../src/rules/compose/index.js";

describe("parseServiceImageLines", () => {
  it.each<[string, string, Record<string, string>]>([
    ["empty input", "", {}],
    ["only blanks and comments", "\n  \n# images\n   # indented comment\n", {}],
    ["one line", "goauth=goauth:sha-0123456", { goauth: "goauth:sha-0123456" }],
    [
      "several lines, CRLF, indentation, spaces around '='",
      "  goauth = goauth:sha-0123456\r\n\r\nredis=redis:7@sha256:abc\r\n",
      { goauth: "goauth:sha-0123456", redis: "redis:7@sha256:abc" },
    ],
    [
      "registry with a port (second ':'), service with '.', '_' and '-'",
      "web.v2_api-1=localhost:5000/acme/web:1.2.3",
      { "web.v2_api-1": "localhost:5000/acme/web:1.2.3" },
    ],
  ])("%s", (_, text, expected) => {
    expect(parseServiceImageLines(text)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ["no '='", "goauth", /line 1: 'goauth' is not 'service=image'/],
    ["no service", "=goauth:1", /line 1: '=goauth:1'/],
    ["no image", "goauth=", /line 1: 'goauth='/],
    ["space in the image", "goauth=goauth 1", /line 1/],
    ["bad service name", "go auth=goauth:1", /line 1/],
    ["the error names the right line", "# c\n\ngoauth=a:1\nredis", /line 4: 'redis'/],
    ["a service twice", "goauth=a:1\ngoauth=a:2", /line 2: service 'goauth' is given twice/],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseServiceImageLines(text)).toThrow(ConfigurationError);
    expect(() => parseServiceImageLines(text)).toThrow(message);
  });

  it("names the input in the message", () => {
    expect(() => parseServiceImageLines("x", "service-images")).toThrow(/input 'service-images' line 1/);
  });
});

describe("parseEnvLines", () => {
  it.each<[string, string, Record<string, string>]>([
    ["empty input", "", {}],
    ["comments and blanks", "# env\n\n  # more\n", {}],
    ["one line", "REDIS_ADDR=redis:6379", { REDIS_ADDR: "redis:6379" }],
    [
      "value with '='",
      "DSN=postgres://u:p@db/app?sslmode=disable&x=1",
      { DSN: "postgres://u:p@db/app?sslmode=disable&x=1" },
    ],
    ["empty value", "EMPTY=", { EMPTY: "" }],
    ["value kept verbatim inside the line", "MSG= hello # not a comment", { MSG: " hello # not a comment" }],
    ["CRLF and indentation trimmed", "  A=1\r\n\tB=2  \r\n", { A: "1", B: "2" }],
    ["underscore and lower case keys", "_x=1\nlog_level=debug", { _x: "1", log_level: "debug" }],
  ])("%s", (_, text, expected) => {
    expect(parseEnvLines(text)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ["no '='", "REDIS_ADDR", /line 1: 'REDIS_ADDR' is not 'KEY=VALUE'/],
    ["empty key", "=value", /line 1/],
    ["key starting with a digit", "1A=x", /line 1/],
    ["space before '='", "KEY =x", /line 1: 'KEY =x'/],
    ["dash in key", "LOG-LEVEL=debug", /line 1/],
    ["export prefix", "export A=1", /line 1/],
    ["the error names the right line", "A=1\n\n# c\nB C=2", /line 4/],
    ["a key twice", "A=1\nA=2", /line 2: 'A' is given twice/],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseEnvLines(text)).toThrow(ConfigurationError);
    expect(() => parseEnvLines(text)).toThrow(message);
  });
});

describe("prototype-like names stay plain data", () => {
  it.each([
    ["parseServiceImageLines", parseServiceImageLines("__proto__=a:1\nconstructor=b:2")],
    ["parseEnvLines", parseEnvLines("__proto__=a:1\nconstructor=b:2")],
  ])("%s", (_, parsed) => {
    expect(Object.keys(parsed)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed, "__proto__")?.value).toBe("a:1");
  });
});
