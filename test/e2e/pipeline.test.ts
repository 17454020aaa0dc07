import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testedMarkerTag } from "../../src/rules/promote/tested-marker.js";
import { chownTree, runAction } from "../harness/run-action.js";
import { dockerAvailable, leftovers } from "./support/docker.js";
import { checkoutExample, printedRunLabels } from "./support/example-checkout.js";
import {
  removeLabelledContainers,
  removeLabelledImages,
  startRegistry,
  type TestRegistry,
} from "./support/registry.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * The whole pipeline in one step, as users run it: the root action on a runner
 * (`goflow run` on a laptop is pipeline-cli.test.ts), on the example service.
 * Build, package, the example's specs against the image just built, then
 * publish only when every test passed and the git-flow rules say so; nothing
 * is left behind.
 */
const TEST_ID = `pipeline-${process.pid}`;

describe.skipIf(!dockerAvailable)("the pipeline in one step", () => {
  let user: { uid: number; gid: number };
  let root: string;
  let xdgCache: string;
  let registry: TestRegistry;

  beforeAll(async () => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-pipeline-e2e-"));
    // One Go cache for every run in this file.
    xdgCache = join(root, "xdg-cache");
    mkdirSync(join(xdgCache, "goflow", "go"), { recursive: true });
    chownTree(root, user);
    registry = await startRegistry(TEST_ID);
  });

  afterAll(() => {
    removeLabelledImages(TEST_ID);
    removeLabelledContainers(TEST_ID);
    rmSync(root, { recursive: true, force: true });
  });

  const checkout = (name: string, branch: string) => checkoutExample(root, name, branch, user);

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
    const pushed = await registry.image("acme/go-auth", "develop");
    expect(run.outputs.digest).toBe(pushed.digest);
    // Published after every test passed: beside the tags, the tested marker promote requires.
    expect(await registry.tags("acme/go-auth")).toEqual(
      ["develop", `sha-${sha.slice(0, 7)}`, testedMarkerTag(pushed.digest)].sort(),
    );
    expect(run.summary).toMatch(/### goflow pipeline: passed/);
    expect(run.summary).toMatch(/\| publish \| ✅ passed \|/);
    expect(readFileSync(join(root, "action-compose.xml"), "utf8")).toContain("<testsuites");
    expect(run.post?.exitCode).toBe(0);
    for (const label of printedRunLabels(log)) expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
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
    for (const label of printedRunLabels(log)) expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
  });
});
