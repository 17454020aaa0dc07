import { describe, expect, it } from "vitest";
import {
  assessReadiness,
  type ComposeConfig,
  type ComposePsEntry,
  parseProjectContainers,
  type ReadinessAssessment,
  readinessBudget,
  readinessInterval,
} from "../../../src/rules/compose/index.js";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";
import { fixtureText } from "./fixtures.js";

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

describe("parseProjectContainers", () => {
  it.each<[string, string, ComposePsEntry[]]>([
    [
      "the goauth project (docker ps, one object per line)",
      fixtureText("ps-goauth-containers.txt"),
      GOAUTH_NDJSON,
    ],
    ["no output", "", []],
    ["only a newline", "\n", []],
    [
      "an unhealthy container",
      '{"name":"p-a-1","service":"a","state":"Running","status":"Up 1 second (unhealthy)"}\n',
      [{ name: "p-a-1", service: "a", state: "running", health: "unhealthy", exitCode: 0 }],
    ],
    [
      "CRLF lines, a container without a healthcheck",
      '{"name":"p-a-1","service":"a","state":"running","status":"Up 2 minutes"}\r\n\r\n',
      [{ name: "p-a-1", service: "a", state: "running", health: "", exitCode: 0 }],
    ],
    [
      "a one-shot job that finished",
      '{"name":"p-seed-1","service":"seed","state":"exited","status":"Exited (0) 3 seconds ago"}',
      [{ name: "p-seed-1", service: "seed", state: "exited", health: "", exitCode: 0 }],
    ],
    [
      "restarting, created and paused containers",
      [
        '{"name":"p-a-1","service":"a","state":"restarting","status":"Restarting (1) 1 second ago"}',
        '{"name":"p-b-1","service":"b","state":"created","status":"Created"}',
        '{"name":"p-c-1","service":"c","state":"paused","status":"Up 9 seconds (Paused)"}',
      ].join("\n"),
      [
        { name: "p-a-1", service: "a", state: "restarting", health: "", exitCode: undefined },
        { name: "p-b-1", service: "b", state: "created", health: "", exitCode: undefined },
        { name: "p-c-1", service: "c", state: "paused", health: "", exitCode: 0 },
      ],
    ],
  ])("%s", (_, text, expected) => {
    expect(parseProjectContainers(text)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ["not JSON", "NAME   IMAGE   STATUS", /did not print JSON/],
    ["a broken line", '{"service":"a"}\n{"service":', /did not print JSON/],
    ["a container without a service label", '{"name":"x","service":""}', /without a compose service/],
    ["a JSON string", '"a"', /without a compose service/],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseProjectContainers(text)).toThrow(message);
  });
});

function entry(service: string, state: string, health = "", exitCode?: number): ComposePsEntry {
  return { name: `p-${service}-1`, service, state, health, exitCode };
}

describe("assessReadiness", () => {
  const model = (services: ComposeConfig["services"]): ComposeConfig => ({ services });
  const plain = model({ a: {}, b: {} });
  it.each<[string, ComposePsEntry[], ComposeConfig, string[], ReadinessAssessment]>([
    [
      "all running and healthy",
      [entry("a", "running", "healthy"), entry("b", "running")],
      plain,
      [],
      { ready: true, failed: [], waiting: [] },
    ],
    [
      "an init job that exited 0 is done",
      [entry("a", "running", "healthy"), entry("b", "exited", "", 0)],
      plain,
      [],
      { ready: true, failed: [], waiting: [] },
    ],
    [
      "a job that exited non-zero fails",
      [entry("a", "running"), entry("b", "exited", "", 3)],
      plain,
      [],
      { ready: false, failed: [{ service: "b", reasons: ["p-b-1 exited (exit code 3)"] }], waiting: [] },
    ],
    [
      "a target that exited 0 stopped serving",
      [entry("a", "exited", "", 0), entry("b", "running")],
      plain,
      ["a"],
      {
        ready: false,
        failed: [
          { service: "a", reasons: ["p-a-1 exited (exit code 0), but the tests send requests to it"] },
        ],
        waiting: [],
      },
    ],
    [
      "the ndjson fixture: starting, healthy and a failed migrate",
      GOAUTH_NDJSON,
      model({ goauth: {}, redis: {}, migrate: {} }),
      [],
      {
        ready: false,
        failed: [
          { service: "migrate", reasons: ["goauth-12345-1-it-login-k3x9-migrate-1 exited (exit code 1)"] },
        ],
        waiting: [{ service: "goauth", reasons: ["goauth-12345-1-it-login-k3x9-goauth-1 health: starting"] }],
      },
    ],
    [
      "the array fixture: crashed service",
      GOAUTH_ARRAY,
      model({ goauth: {}, redis: {} }),
      [],
      {
        ready: false,
        failed: [
          { service: "goauth", reasons: ["goauth-12345-2-it-login-p7q2-goauth-1 exited (exit code 2)"] },
        ],
        waiting: [],
      },
    ],
    [
      "unhealthy fails",
      [entry("a", "running", "unhealthy")],
      model({ a: {} }),
      [],
      { ready: false, failed: [{ service: "a", reasons: ["p-a-1 health: unhealthy"] }], waiting: [] },
    ],
    [
      "restarting and created wait",
      [entry("a", "restarting"), entry("b", "created")],
      plain,
      [],
      {
        ready: false,
        failed: [],
        waiting: [
          { service: "a", reasons: ["p-a-1 restarting"] },
          { service: "b", reasons: ["p-b-1 created"] },
        ],
      },
    ],
    ...(
      [
        ["always", 0],
        ["unless-stopped", 0],
        ["on-failure", 1],
        ["on-failure:3", 1],
      ] as const
    ).map(([restart, code]): [string, ComposePsEntry[], ComposeConfig, string[], ReadinessAssessment] => [
      `exit ${code} under restart: ${restart} waits for the restart`,
      [entry("a", "exited", "", code)],
      model({ a: { restart } }),
      [],
      {
        ready: false,
        failed: [],
        waiting: [
          {
            service: "a",
            reasons: [
              `p-a-1 exited (exit code ${code}), to be restarted (restart: ${restart === "unless-stopped" ? "always" : restart.split(":")[0]})`,
            ],
          },
        ],
      },
    ]),
    [
      "exit 0 under restart: on-failure is done",
      [entry("a", "exited", "", 0)],
      model({ a: { restart: "on-failure" } }),
      [],
      { ready: true, failed: [], waiting: [] },
    ],
    [
      "deploy.restart_policy without a condition restarts (any)",
      [entry("a", "exited", "", 0)],
      model({ a: { deploy: { restart_policy: {} } } }),
      [],
      {
        ready: false,
        failed: [],
        waiting: [
          { service: "a", reasons: ["p-a-1 exited (exit code 0), to be restarted (restart: always)"] },
        ],
      },
    ],
    [
      "deploy.restart_policy condition none",
      [entry("a", "exited", "", 1)],
      model({ a: { deploy: { restart_policy: { condition: "none" } } } }),
      [],
      { ready: false, failed: [{ service: "a", reasons: ["p-a-1 exited (exit code 1)"] }], waiting: [] },
    ],
    [
      "one replica of two dead",
      [entry("a", "running"), { ...entry("a", "dead"), name: "p-a-2" }],
      model({ a: {} }),
      [],
      { ready: false, failed: [{ service: "a", reasons: ["p-a-2 dead"] }], waiting: [] },
    ],
    [
      "a service without a container waits, unless scaled to 0",
      [entry("b", "running")],
      model({ a: {}, b: {}, c: { scale: 0 }, d: { deploy: { replicas: 0 } } }),
      [],
      { ready: false, failed: [], waiting: [{ service: "a", reasons: ["no container yet"] }] },
    ],
    [
      "an unknown state waits",
      [entry("a", "")],
      model({ a: {} }),
      [],
      { ready: false, failed: [], waiting: [{ service: "a", reasons: ["p-a-1 in an unknown state"] }] },
    ],
  ])("%s", (_, entries, config, servers, expected) => {
    expect(assessReadiness(entries, config, servers)).toEqual(expected);
  });
});

const spec = (text: string) => parseSpec(text, "tests/a.yml");

describe("readinessBudget and readinessInterval", () => {
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
});
