import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionRun, chownTree, runAction } from "../harness/run-action.js";
import { docker, dockerAvailable, leftovers } from "./support/docker.js";
import { runGoInContainer } from "./support/go.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * actions/compose-test against the real engine: the example service's image
 * is built once, then every run goes through the harness (main, then post with
 * the saved state) as the runner user, and each test proves that nothing the
 * run created is left behind.
 */
const example = resolve("examples/go-auth");
const fixtures = resolve("test/fixtures/compose-test");
const ACTION = "actions/compose-test";

describe.skipIf(!dockerAvailable)("actions/compose-test", () => {
  const image = `goflow-compose-test-e2e:${process.pid}`;
  const scratch: string[] = [];
  let user: { uid: number; gid: number };

  beforeAll(() => {
    user = ensureRunnerUser();
    const build = temporaryFolder("goflow-compose-test-build-");
    cpSync(example, build, { recursive: true });
    chownTree(build, user);
    runGoInContainer(build, user, ["go", "build", "-trimpath", "-o", "go-auth", "."]);
    docker("build", "--quiet", "--label", "io.goflow.test=compose-test", "-t", image, build);
  });

  afterAll(() => {
    try {
      docker("image", "rm", "-f", image);
    } finally {
      for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    }
  });

  function temporaryFolder(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    scratch.push(dir);
    return dir;
  }

  /** A workspace holding the example's compose file (or `compose`) and spec files at examples/go-auth. */
  function workspace(specs: string[] | "example", compose?: string): string {
    const root = temporaryFolder("goflow-compose-test-ws-");
    const service = join(root, "examples/go-auth");
    mkdirSync(join(service, "tests"), { recursive: true });
    if (compose === undefined)
      copyFileSync(join(example, "docker-compose.yml"), join(service, "docker-compose.yml"));
    else writeFileSync(join(service, "docker-compose.yml"), compose);
    if (specs === "example") cpSync(join(example, "tests"), join(service, "tests"), { recursive: true });
    else for (const spec of specs) copyFileSync(join(fixtures, spec), join(service, "tests", spec));
    chownTree(root, user);
    return root;
  }

  function run(
    specs: string[] | "example",
    options: {
      inputs?: Record<string, string>;
      interrupt?: RegExp;
      signal?: NodeJS.Signals;
      compose?: string;
    } = {},
  ) {
    return runAction({
      action: ACTION,
      workspace: workspace(specs, options.compose),
      user,
      inputs: { "working-directory": "examples/go-auth", images: `goauth=${image}`, ...options.inputs },
      ...(options.interrupt
        ? { interrupt: { when: options.interrupt, signal: options.signal ?? "SIGTERM" } }
        : {}),
    });
  }

  /** Nothing with the run's label, and no compose project of the run, is left. */
  function expectNothingLeft(result: ActionRun): void {
    const label = result.state["compose-run-label"];
    expect(label, "main saved its run label").toBeTruthy();
    expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
    const projects = docker("ps", "-a", "--format", '{{.Label "com.docker.compose.project"}}')
      .split("\n")
      .filter((project) => project.includes(`-${label?.split("-")[0]}-`));
    expect(projects).toEqual([]);
  }

  it("passes the example's specs, with outputs, a summary, a JUnit report and nothing left", async () => {
    const result = await run("example");
    expect(result.main.exitCode, result.main.stdout + result.main.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ passed: "14", failed: "0", skipped: "0", total: "14" });
    expect(result.main.stdout).toMatch(/^ {2}Pass: Issue a token/m);
    expect(result.main.stdout).toMatch(/^ {2}Pass: The issued token is valid/m);
    expect(result.main.stdout).toContain("setup: redis: redis-cli SET user:legacy not-a-salt-and-hash");
    expect(result.main.stdout).toMatch(/^examples\/go-auth\/tests\/users\.yml: 7 passed, 0 failed/m);
    expect(result.annotations.filter((a) => a.command === "error")).toEqual([]);
    expect(result.summary).toContain("| examples/go-auth/tests/tokens.yml | Issue a token | ✅ passed |");
    const junit = readFileSync(result.outputs.report ?? "", "utf8");
    expect(junit).toMatch(/<testsuites name="compose-test" tests="14" failures="0"/);
    expect(junit).toContain('<testcase name="Delete the user" classname="examples/go-auth/tests/users.yml"');
    expectNothingLeft(result);
  });

  // Docker's kill events say which signal each container got first: SIGKILL (9) when the environment
  // was killed, SIGTERM (15) when it was stopped with a grace period. No clock is read.
  it.each<[string, Record<string, string>, string]>([
    ["kills the environment at teardown by default (no stop grace)", {}, "9"],
    ["stops it with SIGTERM first when stop-timeout gives a grace", { "stop-timeout": "5" }, "15"],
  ])("%s", async (_name, inputs, firstSignal) => {
    const since = new Date(Date.now() - 1000).toISOString();
    const result = await run("example", { inputs });
    expect(result.main.exitCode, result.main.stdout + result.main.stderr).toBe(0);
    const label = result.state["compose-run-label"];
    const kills = docker(
      "events",
      "--since",
      since,
      "--until",
      new Date(Date.now() + 1000).toISOString(),
      "--filter",
      "type=container",
      "--filter",
      "event=kill",
      "--filter",
      `label=io.goflow.run=${label}`,
      "--format",
      "{{.Actor.Attributes.name}} {{.Actor.Attributes.signal}}",
    )
      .split("\n")
      .filter(Boolean);
    const first = new Map<string, string>();
    for (const line of kills) {
      const [name = "", signal = ""] = line.split(" ");
      if (!first.has(name)) first.set(name, signal);
    }
    expect(first.size, kills.join("\n")).toBeGreaterThan(0);
    expect([...new Set(first.values())]).toEqual([firstSignal]);
    expectNothingLeft(result);
  });

  it("fails a wrong expectation with an annotation at its line, saves the logs and cleans up", async () => {
    const result = await run(["wrong-expectation.yml"], { inputs: { "junit-report": "reports/junit.xml" } });
    expect(result.main.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "1", failed: "1", total: "2" });
    const errors = result.annotations.filter((a) => a.command === "error");
    expect(errors[0]?.properties).toMatchObject({
      file: "examples/go-auth/tests/wrong-expectation.yml",
      line: "17",
      col: "15",
    });
    expect(errors[0]?.message).toBe('status: expected 201, got 409 (body: "user already exists")');
    expect(result.main.stdout).toMatch(/^ {2}Fail: Register twice expecting success/m);
    expect(result.main.stdout).toMatch(/^ {4}request: PUT http:\/\/127\.0\.0\.1:\d+\/user$/m);
    expect(result.main.stdout).toContain("::error::compose-test: 1 of 2 tests failed");
    const logs = readdirSync(result.outputs["logs-dir"] ?? "");
    expect(logs).toHaveLength(1);
    const log = readFileSync(join(result.outputs["logs-dir"] ?? "", logs[0] ?? ""), "utf8");
    expect(log).toMatch(/goauth-1 .*path=\/user status=409/);
    expect(result.outputs.report).toBe(join(result.workspace, "reports/junit.xml"));
    expect(readFileSync(join(result.workspace, "reports/junit.xml"), "utf8")).toContain(
      '<failure message="status: expected 201, got 409',
    );
    expectNothingLeft(result);
  });

  it("runs the same fixed-port compose file twice at the same time", async () => {
    expect(readFileSync(join(example, "docker-compose.yml"), "utf8")).toContain('"9000:9000"');
    const [first, second] = await Promise.all([run("example"), run("example")]);
    for (const result of [first, second]) {
      expect(result?.main.exitCode, result?.main.stdout).toBe(0);
      expect(result?.outputs.passed).toBe("14");
      if (result) expectNothingLeft(result);
    }
    expect(first?.outputs["run-label"]).not.toBe(second?.outputs["run-label"]);
  });

  it("prints the logs of what is not ready after a readiness timeout, and cleans up", async () => {
    const result = await run(["never-ready.yml"]);
    expect(result.main.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "0", failed: "1", total: "1" });
    expect(result.main.stdout).toMatch(
      /was not ready within 10\.0 s: GET http:\/\/127\.0\.0\.1:\d+\/health never answered 418 \(last: 200/,
    );
    expect(result.main.stdout).toMatch(
      /::group::\[examples\/go-auth\/tests\/never-ready\.yml\] logs of goauth/,
    );
    expect(result.main.stdout).toMatch(/goauth-1 +\| .*msg=listening/);
    expect(result.annotations.find((a) => a.command === "error")?.properties).toMatchObject({
      file: "examples/go-auth/tests/never-ready.yml",
      line: "4",
    });
    expectNothingLeft(result);
  });

  it("waits with up --wait for a healthcheck nobody depends on, and reports the unhealthy service", async () => {
    const compose = [
      "services:",
      "  goauth:",
      "    image: goauth:latest",
      "    environment: { REDIS_ADDR: redis:6379 }",
      '    ports: ["9000:9000"]',
      "  redis:",
      "    image: redis:7",
      '    healthcheck: { test: [CMD, "false"], interval: 1s, timeout: 1s, retries: 2 }',
      "",
    ].join("\n");
    const result = await run(["wrong-expectation.yml"], { compose });
    expect(result.main.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "0", failed: "2" });
    expect(result.main.stdout).toMatch(/a service failed to start: redis: \S+ health: unhealthy/);
    expect(result.main.stdout).toMatch(/not ready: redis: \S+ health: unhealthy/);
    expect(result.annotations.find((a) => a.command === "error")?.properties).toMatchObject({ line: "4" });
    expectNothingLeft(result);
  });

  it("keeps a failed environment with keep-on-failure, also through post", async () => {
    const result = await run(["wrong-expectation.yml"], { inputs: { "keep-on-failure": "true" } });
    const project = /kept environment (\S+) for debugging/.exec(result.main.stdout)?.[1] ?? "";
    try {
      expect(result.main.exitCode).toBe(1);
      expect(project).toMatch(/^go-auth-\d+-1-test-wrong-expectation-[0-9a-f]{6}$/);
      expect(result.post?.stdout).toContain(`kept for debugging (keep-on-failure): ${project}`);
      const running = docker(
        "ps",
        "--filter",
        `label=com.docker.compose.project=${project}`,
        "--format",
        "{{.Names}}",
      );
      expect(running.split("\n").sort()).toEqual([`${project}-goauth-1`, `${project}-redis-1`]);
    } finally {
      docker("compose", "-p", project, "down", "--volumes", "--remove-orphans", "--timeout", "1");
    }
    expectNothingLeft(result);
  });

  it("uses the compose file as it is with isolate: false (images still applied)", async () => {
    // A fixed port no other test uses: without isolation two runs of this file could not overlap.
    const compose = readFileSync(join(example, "docker-compose.yml"), "utf8").replace(
      '"9000:9000"',
      '"19187:9000"',
    );
    const result = await run(["wrong-expectation.yml"], { inputs: { isolate: "false" }, compose });
    expect(result.outputs).toMatchObject({ passed: "1", failed: "1" });
    expect(result.main.stdout).toMatch(/request: PUT http:\/\/127\.0\.0\.1:19187\/user/);
    expect(result.main.stdout).not.toContain("isolate:");
    expectNothingLeft(result);
  });

  it.each<[string, string, string, RegExp]>([
    ["invalid-key.yml", "5", "5", /unknown key in a test: `expct` \(did you mean `expect`\?\)/],
    [
      "unknown-service.yml",
      "4",
      "13",
      /unknown compose service 'nosuch' in target 'nosuch:8080' \(services: goauth, redis\)/,
    ],
  ])("rejects %s at line %s, column %s, before any container starts", async (spec, line, col, message) => {
    const result = await run([spec]);
    expect(result.main.exitCode).toBe(1);
    const located = result.annotations.filter((a) => a.command === "error" && a.properties.file);
    expect(located).toHaveLength(1);
    const error = located[0];
    expect(error?.properties).toMatchObject({ file: `examples/go-auth/tests/${spec}`, line, col });
    expect(error?.message).toMatch(message);
    expect(result.main.stdout).not.toContain("starting environment");
    expect(result.state["compose-run-label"]).toBeUndefined();
  });

  it.each<[NodeJS.Signals, string, RegExp]>([
    ["SIGTERM", "while the environment starts", /starting environment/],
    ["SIGTERM", "while tests run", /ready after/],
    ["SIGKILL", "while tests run", /ready after/],
  ])(
    "leaves nothing behind after %s %s (main tears down, post removes what survived)",
    async (signal, _, when) => {
      const result = await run(["slow.yml"], { interrupt: when, signal });
      expect(result.main.exitCode !== 0 || result.main.signal !== null).toBe(true);
      if (signal === "SIGTERM") {
        expect(result.main.stdout).toContain("SIGTERM received");
        expect(result.main.stdout).toMatch(/::error::compose-test: cancelled/);
        expect(result.annotations.filter((a) => a.command === "error" && a.properties.file)).toEqual([]);
      } else {
        expect(result.post?.stdout).toMatch(/removed compose project go-auth-/);
      }
      expect(result.post?.exitCode).toBe(0);
      expectNothingLeft(result);
    },
  );
});
