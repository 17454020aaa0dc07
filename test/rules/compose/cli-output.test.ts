import { describe, expect, it } from "vitest";
import {
  composeErrorDetail,
  parsePublishedPort,
  stripAnsi,
  stripAnsiChunk,
} from "../../../src/rules/compose/cli-output.js";

describe("parsePublishedPort", () => {
  it.each<[string, ReturnType<typeof parsePublishedPort>]>([
    ["127.0.0.1:49153\n", { host: "127.0.0.1", port: 49153 }],
    ["0.0.0.0:9000", { host: "127.0.0.1", port: 9000 }],
    ["[::]:9000", { host: "127.0.0.1", port: 9000 }],
    [":::9000", { host: "127.0.0.1", port: 9000 }],
    ["[::1]:9000", { host: "[::1]", port: 9000 }],
    ["10.0.0.5:80\n[::]:80\n", { host: "10.0.0.5", port: 80 }],
    ["", undefined],
    [":0", undefined],
    ["no port", undefined],
  ])("%j", (output, expected) => {
    expect(parsePublishedPort(output)).toEqual(expected);
  });
});

describe("stripAnsi", () => {
  it.each<[string, string]>([
    ["\u001b[2Kgoauth-1  | listening\n", "goauth-1  | listening\n"],
    ["\u001b[31mred\u001b[0m plain", "red plain"],
    ["no escapes", "no escapes"],
  ])("%j", (text, expected) => {
    expect(stripAnsi(text)).toBe(expected);
  });
});

describe("stripAnsiChunk", () => {
  it.each<[string, { text: string; carry: string }]>([
    ["\u001b[2Ka\n", { text: "a\n", carry: "" }],
    ["a\n\u001b", { text: "a\n", carry: "\u001b" }],
    ["a\n\u001b[2", { text: "a\n", carry: "\u001b[2" }],
    ["plain", { text: "plain", carry: "" }],
  ])("%j", (text, expected) => {
    expect(stripAnsiChunk(text)).toEqual(expected);
  });
});

describe("composeErrorDetail", () => {
  it.each<[string, string, string]>([
    [
      "drops progress lines",
      [
        " Container p-redis-1  Started",
        " Container p-redis-1  Waiting",
        " Network p_default  Created",
        "container p-redis-1 is unhealthy",
      ].join("\n"),
      "container p-redis-1 is unhealthy",
    ],
    ["keeps the last lines", "a\nb\nc\nd\ne\nf\ng", "c\nd\ne\nf\ng"],
    ["strips colours", "\u001b[31merror\u001b[0m: no such image", "error: no such image"],
    ["is empty without output", "", ""],
  ])("%s", (_, stderr, expected) => {
    expect(composeErrorDetail({ stdout: "", stderr })).toBe(expected);
  });
});
