import { describe, expect, it } from "vitest";
import { ConfigurationError, type SourceLocation } from "../../../src/errors.js";
import {
  type ComposeTarget,
  checkTargetsExist,
  composeServiceNames,
  type LocatedTarget,
  parseTarget,
  serviceProfiles,
} from "../../../src/rules/compose/index.js";
import { fixtureConfig } from "./fixtures.js";

const AT: SourceLocation = { file: "test/compose/login.yml", line: 4, column: 13 };

describe("parseTarget", () => {
  it.each<[string, ComposeTarget]>([
    ["goauth:9000", { service: "goauth", port: 9000 }],
    [" redis:6379 ", { service: "redis", port: 6379 }],
    ["web.v2_api-1:1", { service: "web.v2_api-1", port: 1 }],
    ["Api:65535", { service: "Api", port: 65535 }],
  ])("%j → %j", (text, expected) => {
    expect(parseTarget(text)).toEqual(expected);
  });

  it.each([
    "goauth",
    "goauth:",
    ":9000",
    "goauth:0",
    "goauth:65536",
    "goauth:99999",
    "goauth:9000/tcp",
    "goauth:http",
    "go auth:9000",
    "goauth:9000:1",
    "go/auth:9000",
    "",
  ])("rejects %j with the form to use", (text) => {
    expect(() => parseTarget(text)).toThrow(ConfigurationError);
    expect(() => parseTarget(text)).toThrow(/write 'service:port'.*e\.g\. 'goauth:9000'/);
  });

  it("puts the location on the error", () => {
    try {
      parseTarget("goauth", AT);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).location).toEqual(AT);
      expect((error as Error).message).toMatch(/^test\/compose\/login\.yml:4:13: target 'goauth'/);
    }
  });
});

describe("checkTargetsExist", () => {
  const services = composeServiceNames(fixtureConfig("config-goauth-merged.json"));

  it.each<[string, LocatedTarget[]]>([
    ["no targets", []],
    [
      "known services",
      [
        { service: "goauth", port: 9000 },
        { service: "redis", port: 6379, location: AT },
      ],
    ],
    ["a service without ports", [{ service: "migrate", port: 80 }]],
  ])("accepts %s", (_, targets) => {
    expect(() => checkTargetsExist(targets, services)).not.toThrow();
  });

  it.each<[string, LocatedTarget[], readonly string[], string, SourceLocation | undefined]>([
    [
      "a typo, with the location",
      [{ service: "goauht", port: 9000, location: AT }],
      services,
      "test/compose/login.yml:4:13: unknown compose service 'goauht' in target 'goauht:9000' (services: goauth, migrate, redis); name one of those services",
      AT,
    ],
    [
      "the first unknown of several",
      [
        { service: "goauth", port: 9000 },
        { service: "db", port: 5432, location: { file: "a.yml", line: 2 } },
        { service: "cache", port: 1 },
      ],
      services,
      "a.yml:2: unknown compose service 'db' in target 'db:5432' (services: goauth, migrate, redis); name one of those services",
      { file: "a.yml", line: 2 },
    ],
    [
      "a case mismatch, without a location",
      [{ service: "Redis", port: 6379 }],
      ["redis"],
      "unknown compose service 'Redis' in target 'Redis:6379' (services: redis); name one of those services",
      undefined,
    ],
    [
      "no services at all",
      [{ service: "x", port: 1 }],
      [],
      "unknown compose service 'x' in target 'x:1' (services: none); name one of those services",
      undefined,
    ],
  ])("rejects %s", (_, targets, known, message, location) => {
    try {
      checkTargetsExist(targets, known);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).message).toBe(message);
      expect((error as ConfigurationError).location).toEqual(location);
    }
  });
});

describe("checkTargetsExist with services of disabled profiles", () => {
  const location = { file: "tests/a.yml", line: 3, column: 9 };
  it.each<[string, Map<string, string[]>, string]>([
    [
      "one profile",
      new Map([["debug-ui", ["debug"]]]),
      "compose service 'debug-ui' in target 'debug-ui:8080' is in the profile debug, which is not enabled; enable it with COMPOSE_PROFILES=debug in the env input (or the step's environment)",
    ],
    [
      "two profiles",
      new Map([["debug-ui", ["debug", "ui"]]]),
      "compose service 'debug-ui' in target 'debug-ui:8080' is in the profiles debug, ui, which are not enabled; enable it with COMPOSE_PROFILES=debug in the env input (or the step's environment)",
    ],
    [
      "no profile: unknown",
      new Map(),
      "unknown compose service 'debug-ui' in target 'debug-ui:8080' (services: api); name one of those services",
    ],
  ])("%s", (_, inactive, message) => {
    expect(() =>
      checkTargetsExist([{ service: "debug-ui", port: 8080, location }], ["api"], inactive),
    ).toThrow(expect.objectContaining({ message: `tests/a.yml:3:9: ${message}`, location }));
  });

  it("reads the profiles of a model loaded with every profile", () => {
    expect(
      serviceProfiles({ services: { api: {}, ui: { profiles: ["debug", "ui"] }, empty: { profiles: [] } } }),
    ).toEqual(new Map([["ui", ["debug", "ui"]]]));
  });
});
