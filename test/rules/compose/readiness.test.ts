import { describe, expect, it } from "vitest";
import {
  type ComposeConfig,
  type ComposePsEntry,
  parseComposePs,
  servicesWithHealthcheck,
  type UnreadyService,
  unreadyServices,
} from "../../../src/rules/compose/index.js";
import { fixtureConfig, fixtureText } from "./fixtures.js";

describe("servicesWithHealthcheck", () => {
  it.each<[string, string[]]>([
    ["config-goauth.json", ["goauth", "redis"]],
    ["config-goauth-merged.json", ["goauth", "redis"]],
    ["config-port-edge-cases.json", []],
    ["config-minimal.json", []],
  ])("%s → %j", (file, expected) => {
    expect(servicesWithHealthcheck(fixtureConfig(file))).toEqual(expected);
  });

  it.each<[string, ComposeConfig["services"][string]["healthcheck"], boolean]>([
    ["CMD form", { test: ["CMD", "true"] }, true],
    ["CMD-SHELL form", { test: ["CMD-SHELL", "curl -f localhost"] }, true],
    ["string form", { test: "curl -f localhost" }, true],
    ["disabled", { test: ["CMD", "true"], disable: true }, false],
    ["NONE", { test: ["NONE"] }, false],
    ["NONE as a string", { test: "NONE" }, false],
    ["only timings (the image's HEALTHCHECK, not visible here)", { interval: "5s" }, false],
    ["empty test", { test: [] }, false],
    ["none at all", undefined, false],
  ])("%s → %s", (_, healthcheck, expected) => {
    const config: ComposeConfig = { services: { app: healthcheck === undefined ? {} : { healthcheck } } };
    expect(servicesWithHealthcheck(config)).toEqual(expected ? ["app"] : []);
  });
});

const GOAUTH_NDJSON: ComposePsEntry[] = [
  {
    name: "goauth-12345-1-it-login-k3x9-goauth-1",
    service: "goauth",
    state: "running",
    health: "starting",
    exitCode: 0,
  },
  {
    name: "goauth-12345-1-it-login-k3x9-redis-1",
    service: "redis",
    state: "running",
    health: "healthy",
    exitCode: 0,
  },
  {
    name: "goauth-12345-1-it-login-k3x9-migrate-1",
    service: "migrate",
    state: "exited",
    health: "",
    exitCode: 1,
  },
];

const GOAUTH_ARRAY: ComposePsEntry[] = [
  {
    name: "goauth-12345-2-it-login-p7q2-goauth-1",
    service: "goauth",
    state: "exited",
    health: "",
    exitCode: 2,
  },
  {
    name: "goauth-12345-2-it-login-p7q2-redis-1",
    service: "redis",
    state: "running",
    health: "healthy",
    exitCode: 0,
  },
];

describe("parseComposePs", () => {
  it.each<[string, string, ComposePsEntry[]]>([
    ["one object per line (Compose >= 2.21)", fixtureText("ps-goauth-ndjson.txt"), GOAUTH_NDJSON],
    ["one array (Compose < 2.21)", fixtureText("ps-goauth-array.json"), GOAUTH_ARRAY],
    ["no output", "", []],
    ["only a newline", "\n", []],
    ["an empty array", "[]\n", []],
    [
      "a pretty-printed array",
      '[\n  {\n    "Service": "a",\n    "State": "Running",\n    "Health": "Unhealthy"\n  }\n]\n',
      [{ name: "", service: "a", state: "running", health: "unhealthy", exitCode: undefined }],
    ],
    [
      "CRLF lines",
      '{"Name":"p-a-1","Service":"a","State":"running","Health":"","ExitCode":0}\r\n\r\n',
      [{ name: "p-a-1", service: "a", state: "running", health: "", exitCode: 0 }],
    ],
  ])("%s", (_, text, expected) => {
    expect(parseComposePs(text)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ["not JSON", "NAME   IMAGE   STATUS", /did not print JSON/],
    ["a broken line", '{"Service":"a"}\n{"Service":', /did not print JSON/],
    ["an object without Service", '{"Name":"x"}', /without a Service/],
    ["an array of strings", '["a"]', /without a Service/],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseComposePs(text)).toThrow(message);
  });
});

function entry(service: string, state: string, health = "", exitCode?: number): ComposePsEntry {
  return { name: `p-${service}-1`, service, state, health, exitCode };
}

describe("unreadyServices", () => {
  it.each<[string, ComposePsEntry[], string[], UnreadyService[]]>([
    ["all running and healthy", [entry("a", "running", "healthy"), entry("b", "running")], [], []],
    [
      "the ndjson fixture: starting and exited",
      GOAUTH_NDJSON,
      ["goauth", "migrate", "redis"],
      [
        { service: "goauth", reasons: ["goauth-12345-1-it-login-k3x9-goauth-1 health: starting"] },
        { service: "migrate", reasons: ["goauth-12345-1-it-login-k3x9-migrate-1 exited (exit code 1)"] },
      ],
    ],
    [
      "the array fixture: crashed service",
      GOAUTH_ARRAY,
      [],
      [{ service: "goauth", reasons: ["goauth-12345-2-it-login-p7q2-goauth-1 exited (exit code 2)"] }],
    ],
    [
      "unhealthy",
      [entry("a", "running", "unhealthy")],
      [],
      [{ service: "a", reasons: ["p-a-1 health: unhealthy"] }],
    ],
    ["restarting", [entry("a", "restarting")], [], [{ service: "a", reasons: ["p-a-1 restarting"] }]],
    ["created, never started", [entry("a", "created")], [], [{ service: "a", reasons: ["p-a-1 created"] }]],
    [
      "exited 0 (a server that stopped cleanly)",
      [entry("a", "exited", "", 0)],
      [],
      [{ service: "a", reasons: ["p-a-1 exited (exit code 0)"] }],
    ],
    ["unknown state", [entry("a", "")], [], [{ service: "a", reasons: ["p-a-1 in an unknown state"] }]],
    [
      "one replica of two down",
      [entry("a", "running"), { ...entry("a", "dead"), name: "p-a-2" }],
      [],
      [{ service: "a", reasons: ["p-a-2 dead"] }],
    ],
    [
      "expected service without a container, sorted among others",
      [entry("z", "exited", "", 1), entry("b", "running")],
      ["b", "m", "z"],
      [
        { service: "m", reasons: ["no container (it was never created)"] },
        { service: "z", reasons: ["p-z-1 exited (exit code 1)"] },
      ],
    ],
    ["no containers at all", [], ["a"], [{ service: "a", reasons: ["no container (it was never created)"] }]],
  ])("%s", (_, entries, expected, result) => {
    expect(unreadyServices(entries, expected)).toEqual(result);
  });
});
