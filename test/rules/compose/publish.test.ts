import { describe, expect, it } from "vitest";
import {
  publishTargets,
  requestTargets,
  requestUrl,
  unpublishedPortHint,
} from "../../../src/rules/compose/publish.js";
import type { ComposeConfig } from "../../../src/rules/compose/types.js";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";

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

const spec = (text: string) => parseSpec(text, "tests/a.yml");

describe("requestTargets", () => {
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
});

describe("requestUrl", () => {
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
