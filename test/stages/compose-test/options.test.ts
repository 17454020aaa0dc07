import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  buildComposeTestOptions,
  parseParallel,
  parseStopTimeout,
  parseWaitTimeout,
  type RawComposeTestInputs,
  resolveComposeFiles,
} from "../../../src/stages/compose-test/options.js";

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
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "goflow-compose-files-"));
    for (const dir of ["default", "compose-yaml", "both", "none"]) mkdirSync(join(root, dir));
    writeFileSync(join(root, "default/docker-compose.yml"), "");
    writeFileSync(join(root, "default/override.yml"), "");
    writeFileSync(join(root, "compose-yaml/compose.yaml"), "");
    writeFileSync(join(root, "both/docker-compose.yml"), "");
    writeFileSync(join(root, "both/compose.yaml"), "");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each<[string, string[], string[]]>([
    ["default", [], ["docker-compose.yml"]],
    ["default", ["docker-compose.yml", "override.yml"], ["docker-compose.yml", "override.yml"]],
    ["compose-yaml", [], ["compose.yaml"]],
    ["compose-yaml", ["docker-compose.yml"], ["compose.yaml"]],
    ["both", [], ["docker-compose.yml"]],
  ])("%s with %j → %j", (dir, given, expected) => {
    expect(resolveComposeFiles(join(root, dir), given)).toEqual(
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
    expect(() => resolveComposeFiles(join(root, dir), given)).toThrow(message);
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
  let workspace: string;
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), "goflow-options-"));
    writeFileSync(join(workspace, "docker-compose.yml"), "");
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it("fills in the defaults and resolves paths against the workspace", () => {
    expect(buildComposeTestOptions(raw, workspace)).toEqual({
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
    expect(buildComposeTestOptions({ ...raw, externalNetworks: text }, workspace).externalNetworks).toBe(
      policy,
    );
  });

  it.each<[Partial<RawComposeTestInputs>, RegExp]>([
    [{ workingDirectory: "nope" }, /working-directory 'nope' is not a folder/],
    [{ images: "goauth" }, /input 'images' line 1/],
    [{ env: "1X=2" }, /input 'env' line 1/],
    [{ shard: "3/2" }, /shard '3\/2' is invalid/],
    [{ externalNetworks: "ignore" }, /external-networks is 'ignore'; use warn \(the default\) or error/],
  ])("rejects %j", (change, message) => {
    expect(() => buildComposeTestOptions({ ...raw, ...change }, workspace)).toThrow(message);
  });
});
