import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ComposeConfig } from "../../../src/rules/compose/index.js";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";
import {
  AnsiStripper,
  composeErrorDetail,
  parsePublishedPort,
  stripAnsi,
} from "../../../src/runtime/compose.js";
import {
  imageOverride,
  publishTargets,
  requestTargets,
  unpublishedPortHint,
} from "../../../src/stages/compose-test/compose-model.js";
import { readinessBudget, readinessInterval, requestUrl } from "../../../src/stages/compose-test/spec-run.js";

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

const config: ComposeConfig = {
  services: {
    api: { image: "api", ports: [{ target: 9000, host_ip: "127.0.0.1", protocol: "tcp" }] },
    db: { image: "redis:7" },
    host: { image: "x", network_mode: "host" },
  },
};

describe("publishTargets", () => {
  it.each<[string, { service: string; port: number }[], Record<string, unknown[] | undefined>, number]>([
    [
      "already published",
      [{ service: "api", port: 9000 }],
      { api: config.services.api?.ports, db: undefined },
      0,
    ],
    [
      "a second port of a published service",
      [{ service: "api", port: 9090 }],
      {
        api: [
          ...(config.services.api?.ports ?? []),
          { target: 9090, host_ip: "127.0.0.1", protocol: "tcp", mode: "ingress" },
        ],
        db: undefined,
      },
      1,
    ],
    [
      "an unpublished service",
      [{ service: "db", port: 6379 }],
      {
        api: config.services.api?.ports,
        db: [{ target: 6379, host_ip: "127.0.0.1", protocol: "tcp", mode: "ingress" }],
      },
      1,
    ],
    [
      "host networking is left alone",
      [{ service: "host", port: 80 }],
      { api: config.services.api?.ports, db: undefined },
      0,
    ],
    [
      "an unknown service is left to the target check",
      [{ service: "nope", port: 80 }],
      { api: config.services.api?.ports, db: undefined },
      0,
    ],
  ])("%s", (_, targets, ports, changes) => {
    const result = publishTargets(config, targets);
    expect(result.config.services.api?.ports).toEqual(ports.api);
    expect(result.config.services.db?.ports).toEqual(ports.db);
    expect(result.changes).toHaveLength(changes);
    expect(config.services.db?.ports).toBeUndefined();
  });
});

describe("imageOverride", () => {
  it("sets each image and never pulls it", () => {
    expect(imageOverride({ api: "api:dev", db: "redis:7" })).toEqual({
      services: {
        api: { image: "api:dev", pull_policy: "never" },
        db: { image: "redis:7", pull_policy: "never" },
      },
    });
  });
});

const spec = (text: string) => parseSpec(text, "tests/a.yml");

describe("spec helpers", () => {
  it.each<[string, number, number]>([
    ["target: api:9000\ntests:\n  - name: a\n    request: GET /\n", 90_000, 100],
    [
      "target: api:9000\nwait:\n  request: GET /health\ntests:\n  - name: a\n    request: GET /\n",
      90_000,
      100,
    ],
    [
      "target: api:9000\nwait:\n  request: GET /health\n  timeout: 5s\n  interval: 250ms\ntests:\n  - name: a\n    request: GET /\n",
      5_000,
      250,
    ],
    // Written values win even when they equal the built-in defaults.
    [
      "target: api:9000\nwait:\n  request: GET /health\n  timeout: 60s\n  interval: 1s\ntests:\n  - name: a\n    request: GET /\n",
      60_000,
      1_000,
    ],
  ])("readiness budget and interval of %j (wait-timeout input 90s)", (text, budget, interval) => {
    expect(readinessBudget(spec(text), { waitTimeoutMs: 90_000 })).toBe(budget);
    expect(readinessInterval(spec(text))).toBe(interval);
  });

  it("lists each target once, in file order", () => {
    const text = [
      "target: api:9000",
      "wait:",
      "  request: GET /health",
      "tests:",
      "  - name: a",
      "    request: GET /",
      "  - name: b",
      "    target: db:6379",
      "    request: GET /",
      "  - name: c",
      "    request: GET http://example.com/",
    ].join("\n");
    expect(requestTargets(spec(text))).toEqual([
      { service: "api", port: 9000 },
      { service: "db", port: 6379 },
    ]);
  });

  it.each<[Parameters<typeof requestUrl>[0]["destination"], string]>([
    [{ kind: "service", service: "api", port: 9000, path: "/user?x=1" }, "http://127.0.0.1:49153/user?x=1"],
    [{ kind: "url", url: "https://example.com/a" }, "https://example.com/a"],
  ])("requestUrl(%j)", (destination, url) => {
    const request = {
      method: "GET",
      destination,
      headers: [],
      body: undefined,
      timeoutMs: 1,
      followRedirects: false,
    };
    expect(requestUrl(request, new Map([["api:9000", "http://127.0.0.1:49153"]]))).toBe(url);
  });
});

describe("stripAnsi and AnsiStripper", () => {
  it.each<[string, string]>([
    ["\u001b[2Kgoauth-1  | listening\n", "goauth-1  | listening\n"],
    ["\u001b[31mred\u001b[0m plain", "red plain"],
    ["no escapes", "no escapes"],
  ])("%j", (text, expected) => {
    expect(stripAnsi(text)).toBe(expected);
  });

  it.each<[string[]]>([
    [["\u001b[2Ka\n", "\u001b[2Kb\n"]],
    [["\u001b", "[2Ka\n\u001b[", "2Kb\n"]],
    [["\u001b[2", "Ka\n\u001b[2K", "b\n"]],
  ])("streams %j with sequences cut across chunks", async (chunks) => {
    let out = "";
    for await (const piece of Readable.from(chunks).pipe(new AnsiStripper())) out += piece;
    expect(out).toBe("a\nb\n");
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

describe("unpublishedPortHint", () => {
  const config: ComposeConfig = { services: { api: {}, proxy: { network_mode: "host" } } };
  it.each<[string, string, boolean, RegExp]>([
    ["a host network service", "proxy", true, /uses network_mode: host, .*url: http:\/\/127\.0\.0\.1:8080\//],
    [
      "without isolation",
      "api",
      false,
      /publish it in the compose file \(ports: \["8080"\]\) or run with isolate: true/,
    ],
    [
      "with isolation",
      "api",
      true,
      /^isolation publishes every target, so its container is no longer running/,
    ],
  ])("%s", (_, service, isolate, hint) => {
    expect(unpublishedPortHint(config, { service, port: 8080 }, isolate)).toMatch(hint);
  });
});
