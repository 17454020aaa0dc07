import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionRun, chownTree, runAction } from "../harness/run-action.js";
import { dockerAvailable } from "./support/docker.js";
import {
  removeLabelledContainers,
  removeLabelledImages,
  startRegistry,
  type TestRegistry,
} from "./support/registry.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * docker-package against a registry that requires an account (registry:2 with
 * htpasswd, bcrypt), as ghcr.io and every private registry do: login, push
 * and logout with the right password; a clear error, and nothing pushed, with
 * a wrong one or none.
 */
const TEST_ID = `docker-package-auth-${process.pid}`;
const ACCOUNT = { username: "ci-bot", password: "c0rrect-h0rse-battery" };

describe.skipIf(!dockerAvailable)("docker-package and an authenticated registry", () => {
  let registry: TestRegistry;
  let user: { uid: number; gid: number };
  let root: string;

  beforeAll(async () => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-auth-e2e-"));
    chmodSync(root, 0o755);
    registry = await startRegistry(TEST_ID, { auth: ACCOUNT });
  });
  afterAll(() => {
    removeLabelledImages(TEST_ID);
    removeLabelledContainers(TEST_ID);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A module folder with a Dockerfile and nothing to compile: the registry is what is under test. */
  function workspace(): string {
    const dir = mkdtempSync(join(root, "ws-"));
    writeFileSync(join(dir, "Dockerfile"), 'FROM debian:bookworm-slim\nCMD ["true"]\n');
    chownTree(dir, user);
    return dir;
  }

  const push = (repository: string, credentials: Record<string, string>) =>
    runAction({
      action: resolve("actions/docker-package"),
      user,
      workspace: workspace(),
      inputs: {
        image: `${registry.host}/${repository}`,
        labels: `io.goflow.test=${TEST_ID}`,
        ...credentials,
      },
    });
  const errors = (run: ActionRun) =>
    run.annotations
      .filter((a) => a.command === "error")
      .map((a) => a.message)
      .join("\n");
  const describeRun = (run: ActionRun) => `${run.main.stdout}\n${run.main.stderr}`;

  it("the registry refuses anonymous reads", async () => {
    const response = await fetch(`${registry.url}/v2/`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(401);
  });

  it("logs in, pushes develop and sha-<7>, and logs out in post", async () => {
    const run = await push("acme/private", ACCOUNT);
    expect(run.main.exitCode, describeRun(run)).toBe(0);
    expect(run.outputs.pushed).toBe("true");
    expect(run.main.stdout).toContain(`logged in to ${registry.host} as ${ACCOUNT.username}`);
    expect(await registry.tags("acme/private")).toEqual(["develop", "sha-0123456"]);
    expect(run.outputs.digest).toBe((await registry.image("acme/private", "develop")).digest);
    // The password was masked and never printed.
    expect(run.main.commands.filter((c) => c.command === "add-mask").map((c) => c.message)).toContain(
      ACCOUNT.password,
    );
    expect(run.main.stdout.replace(`::add-mask::${ACCOUNT.password}`, "")).not.toContain(ACCOUNT.password);
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain(`logged out of ${registry.host}`);
    const config = join(dirname(run.runnerTemp), "home", ".docker", "config.json");
    expect(readFileSync(config, "utf8")).not.toContain(registry.host);
  });

  it("a wrong password fails with a clear error, and nothing is pushed", async () => {
    const run = await push("acme/wrong-password", {
      username: ACCOUNT.username,
      password: "not-the-password",
    });
    expect(run.main.exitCode).not.toBe(0);
    expect(errors(run)).toMatch(
      new RegExp(
        `docker login to ${registry.host} as 'ci-bot' failed \\(.*unauthorized.*\\); check the registry, username and password`,
        "i",
      ),
    );
    expect(run.outputs.pushed ?? "").not.toBe("true");
    expect(await registry.tags("acme/wrong-password")).toEqual([]);
  });

  it("no credentials: the push is refused with a clear error", async () => {
    const run = await push("acme/anonymous", {});
    expect(run.main.exitCode).not.toBe(0);
    expect(errors(run)).toMatch(
      new RegExp(
        `${registry.host} refused the push of .*\\(no basic auth credentials\\); give docker-package a username and password`,
      ),
    );
    expect(await registry.tags("acme/anonymous")).toEqual([]);
  });
});
