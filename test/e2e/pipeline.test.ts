import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chownTree, runAction, runnerReadable } from "../harness/run-action.js";
import { docker, dockerAvailable, leftovers } from "./support/docker.js";
import {
  removeLabelledContainers,
  removeLabelledImages,
  startRegistry,
  type TestRegistry,
} from "./support/registry.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * The whole pipeline in one step, as users run it: `goflow run` on a laptop and
 * the root action on a runner, on the example service. Build, package, the
 * example's specs against the image just built, then publish only when every
 * test passed and the git-flow rules say so; nothing is left behind.
 */
const EXAMPLE = resolve("examples/go-auth");
const TEST_ID = `pipeline-${process.pid}`;

describe.skipIf(!dockerAvailable)("the pipeline in one step", () => {
  let user: { uid: number; gid: number };
  let root: string;
  let xdgCache: string;
  let registry: TestRegistry;

  beforeAll(async () => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-pipeline-e2e-"));
    // One Go cache for every run in this file (the CLI's user cache folder is XDG_CACHE_HOME/goflow/go).
    xdgCache = join(root, "xdg-cache");
    mkdirSync(join(xdgCache, "goflow", "go"), { recursive: true });
    // The CLI's reports go under the system temp folder: this file's own, removed with it.
    mkdirSync(join(root, "tmp"));
    chownTree(root, user);
    registry = await startRegistry(TEST_ID);
  });

  afterAll(() => {
    removeLabelledImages(TEST_ID);
    removeLabelledContainers(TEST_ID);
    rmSync(root, { recursive: true, force: true });
  });

  /** A git checkout of the example on `branch`, owned by the runner user. */
  function checkout(name: string, branch: string): { dir: string; sha: string } {
    const dir = join(root, name);
    cpSync(EXAMPLE, dir, { recursive: true });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: dir,
        encoding: "utf8",
      }).trim();
    git("init", "-q", "-b", branch);
    git("add", ".");
    git("commit", "-qm", "example");
    const sha = git("rev-parse", "HEAD");
    chownTree(dir, user);
    return { dir, sha };
  }

  /** Every io.goflow.run label a run printed: the build's containers and the test environments. */
  const runLabels = (output: string) => [
    ...new Set([...output.matchAll(/io\.goflow\.run=([\w.-]+)/g)].map((m) => m[1] ?? "")),
  ];

  it("goflow run: builds, packages with the rules' tags, passes every spec, publishes nothing, leaves nothing", () => {
    const { dir, sha } = checkout("cli", "develop");
    const image = `goflow-e2e/go-auth-cli-${process.pid}`;
    const result = spawnSync(
      process.execPath,
      [runnerReadable("dist/cli/index.cjs"), "run", dir, "--image", image],
      {
        cwd: dir,
        encoding: "utf8",
        uid: user.uid,
        gid: user.gid,
        env: {
          PATH: process.env.PATH,
          HOME: root,
          XDG_CACHE_HOME: xdgCache,
          TMPDIR: join(root, "tmp"),
          NO_COLOR: "1",
        },
        timeout: 600_000,
      },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    try {
      expect(result.status, output).toBe(0);
      expect(output).toMatch(/^build\s+✓ passed/m);
      expect(output).toMatch(/^package\s+✓ passed/m);
      expect(output).toMatch(/^test\s+✓ passed .*14 of 14 passed/m);
      expect(output).toMatch(/^publish\s+- skipped\s+not asked to publish/m);
      expect(output).toContain("pipeline passed");
      const report = /^reports {3}(\S+\/junit\.xml) \(JUnit\)/m.exec(output)?.[1] ?? "";
      expect(report.startsWith(join(root, "tmp/goflow-compose-test/"))).toBe(true);
      expect(readFileSync(report, "utf8")).toContain('tests="14"');
      const tags = docker("image", "ls", "--format", "{{.Tag}}", image).split("\n").sort();
      expect(tags).toEqual(["develop", `sha-${sha.slice(0, 7)}`]);
      expect(
        docker(
          "image",
          "inspect",
          "--format",
          '{{index .Config.Labels "io.goflow.channel"}}',
          `${image}:develop`,
        ),
      ).toBe("develop");
      const labels = runLabels(output);
      expect(labels.length).toBeGreaterThanOrEqual(2);
      for (const label of labels) expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
    } finally {
      spawnSync("docker", ["image", "rm", "--force", `${image}:develop`, `${image}:sha-${sha.slice(0, 7)}`]);
    }
  });

  it("the root action on develop: tests the image, then pushes exactly that image", async () => {
    const { dir, sha } = checkout("action", "develop");
    const image = `${registry.host}/acme/go-auth`;
    const run = await runAction({
      action: ".",
      user,
      workspace: dir,
      event: { name: "push", payload: "push-develop" },
      env: { GITHUB_REF: "refs/heads/develop", GITHUB_SHA: sha },
      inputs: {
        image,
        labels: `io.goflow.test=${TEST_ID}`,
        "cache-dir": join(xdgCache, "goflow", "go"),
        "junit-report": join(root, "action-compose.xml"),
      },
    });
    const log = `${run.main.stdout}\n${run.main.stderr}`;
    expect(run.main.exitCode, log).toBe(0);
    expect(run.outputs).toMatchObject({
      version: "develop",
      channel: "develop",
      pushed: "true",
      "tests-failed": "0",
      passed: "14",
      failed: "0",
    });
    // compose-service came from the example's goflow.yml; the tested image is the one pushed.
    expect(await registry.tags("acme/go-auth")).toEqual(["develop", `sha-${sha.slice(0, 7)}`]);
    const pushed = await registry.image("acme/go-auth", "develop");
    expect(run.outputs.digest).toBe(pushed.digest);
    expect(run.summary).toMatch(/### goflow pipeline: passed/);
    expect(run.summary).toMatch(/\| publish \| ✅ passed \|/);
    expect(readFileSync(join(root, "action-compose.xml"), "utf8")).toContain("<testsuites");
    expect(run.post?.exitCode).toBe(0);
    for (const label of runLabels(log)) expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
  });

  it("the root action publishes nothing when a spec fails", async () => {
    const { dir, sha } = checkout("failing", "develop");
    const spec = join(dir, "tests", "users.yml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("status: 409", "status: 418"));
    chownTree(dir, user);
    const run = await runAction({
      action: ".",
      user,
      workspace: dir,
      event: { name: "push", payload: "push-develop" },
      env: { GITHUB_REF: "refs/heads/develop", GITHUB_SHA: sha },
      inputs: {
        image: `${registry.host}/acme/go-auth-failing`,
        labels: `io.goflow.test=${TEST_ID}`,
        "cache-dir": join(xdgCache, "goflow", "go"),
      },
    });
    const log = `${run.main.stdout}\n${run.main.stderr}`;
    expect(run.main.exitCode, log).toBe(1);
    expect(run.outputs.pushed).toBe("false");
    expect(run.outputs["should-push"]).toBe("true");
    expect(
      run.annotations.some((a) => a.command === "error" && a.properties.file?.endsWith("tests/users.yml")),
    ).toBe(true);
    expect(await registry.tags("acme/go-auth-failing")).toEqual([]);
    expect(run.summary).toMatch(/\| publish \| ⏭️ skipped \|/);
    for (const label of runLabels(log)) expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
  });
});
