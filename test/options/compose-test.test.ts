import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import {
  buildComposeTestOptions,
  parseParallel,
  parseStopTimeout,
  parseWaitTimeout,
  type RawComposeTestInputs,
  readComposeTestOptions,
  resolveComposeFiles,
} from "../../src/options/compose-test.js";
import { emptyProjectConfig } from "../../src/rules/config/project-config.js";
import { bothDoors, machineWith } from "./support.js";

describe("parseParallel", () => {
  it.each<[string, number]>([
    ["", 4],
    [" ", 4],
    ["1", 1],
    ["8", 8],
  ])("%j → %i (4 CPUs)", (text, expected) => {
    expect(parseParallel(text, 4)).toBe(expected);
  });
  it.each(["0", "-1", "1.5", "two"])("rejects %j", (text) => {
    expect(() => parseParallel(text, 4)).toThrow(ConfigurationError);
  });
});

describe("parseWaitTimeout", () => {
  it.each<[string, number]>([
    ["", 60_000],
    ["60s", 60_000],
    ["2m", 120_000],
    ["1m30s", 90_000],
    ["45", 45_000],
  ])("%j → %i ms", (text, expected) => {
    expect(parseWaitTimeout(text)).toBe(expected);
  });
  it.each<[string, RegExp]>([
    ["soon", /wait-timeout: 'soon' is not a duration/],
    ["500ms", /give at least 1s/],
  ])("rejects %j", (text, message) => {
    expect(() => parseWaitTimeout(text)).toThrow(message);
  });
});

describe("parseStopTimeout", () => {
  it.each<[string, number]>([
    ["", 0],
    ["0", 0],
    [" 10 ", 10],
    ["10s", 10],
    ["1m", 60],
    ["1500ms", 2],
  ])("%j → %i s", (text, expected) => {
    expect(parseStopTimeout(text)).toBe(expected);
  });
  it.each(["soon", "-1", "11m"])("rejects %j, saying what to give", (text) => {
    expect(() => parseStopTimeout(text)).toThrow(
      new RegExp(`stop-timeout is '${text}'; give the seconds services get to stop after SIGTERM`),
    );
  });
});

describe("resolveComposeFiles", () => {
  const root = "/ws";
  const machine = machineWith(
    [
      "default/docker-compose.yml",
      "default/override.yml",
      "compose-yaml/compose.yaml",
      "both/docker-compose.yml",
      "both/compose.yaml",
      "none/.keep",
    ].map((file) => join(root, file)),
  );

  it.each<[string, string[], string[]]>([
    ["default", [], ["docker-compose.yml"]],
    ["default", ["docker-compose.yml", "override.yml"], ["docker-compose.yml", "override.yml"]],
    ["compose-yaml", [], ["compose.yaml"]],
    ["compose-yaml", ["docker-compose.yml"], ["compose.yaml"]],
    ["both", [], ["docker-compose.yml"]],
  ])("%s with %j → %j", (dir, given, expected) => {
    expect(resolveComposeFiles(join(root, dir), given, machine)).toEqual(
      expected.map((name) => join(root, dir, name)),
    );
  });

  it.each<[string, string[], RegExp]>([
    [
      "none",
      [],
      /compose file 'docker-compose.yml' does not exist.*or add docker-compose.yml or compose.yaml/,
    ],
    ["compose-yaml", ["compose.yml"], /compose file 'compose.yml' does not exist/],
    ["default", ["docker-compose.yml", "missing.yml"], /compose file 'missing.yml' does not exist/],
  ])("%s with %j fails", (dir, given, message) => {
    expect(() => resolveComposeFiles(join(root, dir), given, machine)).toThrow(message);
  });
});

describe("buildComposeTestOptions", () => {
  const raw: RawComposeTestInputs = {
    workingDirectory: "",
    composeFiles: [],
    tests: [],
    images: "goauth=goauth:dev",
    env: "GO_AUTH_VERSION=develop",
    parallel: "2",
    shard: "1/2",
    isolate: true,
    waitTimeout: "",
    junitReport: "out/junit.xml",
    logsDir: "",
    keepOnFailure: false,
    stopTimeout: "",
    externalNetworks: "",
  };
  const workspace = "/ws";
  const machine = machineWith([join(workspace, "docker-compose.yml")]);

  it("fills in the defaults and resolves paths against the workspace", () => {
    expect(buildComposeTestOptions(raw, workspace, machine)).toEqual({
      workingDirectory: workspace,
      composeFiles: [join(workspace, "docker-compose.yml")],
      tests: ["tests/*.yml"],
      images: { goauth: "goauth:dev" },
      env: { GO_AUTH_VERSION: "develop" },
      parallel: 2,
      shard: { index: 1, total: 2 },
      isolate: true,
      waitTimeoutMs: 60_000,
      junitReport: join(workspace, "out/junit.xml"),
      logsDir: undefined,
      keepOnFailure: false,
      stopTimeoutSeconds: 0,
      externalNetworks: "warn",
    });
  });

  it.each<[string, string]>([
    ["", "warn"],
    ["warn", "warn"],
    [" Error ", "error"],
  ])("reads external-networks %j as %s", (text, policy) => {
    expect(
      buildComposeTestOptions({ ...raw, externalNetworks: text }, workspace, machine).externalNetworks,
    ).toBe(policy);
  });

  it.each<[Partial<RawComposeTestInputs>, RegExp]>([
    [{ workingDirectory: "nope" }, /working-directory 'nope' is not a folder/],
    [{ images: "goauth" }, /input 'images' line 1/],
    [{ env: "1X=2" }, /input 'env' line 1/],
    [{ shard: "3/2" }, /shard '3\/2' is invalid/],
    [{ externalNetworks: "ignore" }, /external-networks is 'ignore'; use warn \(the default\) or error/],
  ])("rejects %j", (change, message) => {
    expect(() => buildComposeTestOptions({ ...raw, ...change }, workspace, machine)).toThrow(message);
  });
});

describe("readComposeTestOptions", () => {
  const config = emptyProjectConfig();
  config.test = { parallel: "3", tests: "specs/*.yml", "wait-timeout": "2m" };
  const machine = machineWith(["/ws/svc/compose.yaml"]);

  it.each(bothDoors({ "working-directory": "svc", parallel: "2", isolate: "false" }, { config, machine }))(
    "reads %s over goflow.yml's test section and the defaults",
    (_door, sources) => {
      expect(readComposeTestOptions(sources)).toEqual({
        workingDirectory: "/ws/svc",
        composeFiles: ["/ws/svc/compose.yaml"],
        tests: ["specs/*.yml"],
        images: {},
        env: {},
        parallel: 2,
        shard: undefined,
        isolate: false,
        waitTimeoutMs: 120_000,
        junitReport: undefined,
        logsDir: undefined,
        keepOnFailure: false,
        stopTimeoutSeconds: 0,
        externalNetworks: "warn",
      });
    },
  );

  it.each(bothDoors({ isolate: "sometimes" }))("refuses a bad boolean from %s", (_door, sources) => {
    expect(() => readComposeTestOptions(sources)).toThrow(
      "input 'isolate' is 'sometimes'; use true or false",
    );
  });
});
