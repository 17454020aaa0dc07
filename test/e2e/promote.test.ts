import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTestedMarker } from "../../src/stages/tested-marker.js";
import { runAction } from "../harness/run-action.js";
import { dockerAvailable } from "./support/docker.js";
import { createGitRemote, type GitRemote } from "./support/git-remote.js";
import {
  removeLabelledContainers,
  removeLabelledImages,
  startRegistry,
  type TestRegistry,
} from "./support/registry.js";
import { pushTestImage } from "./support/registry-images.js";

/**
 * actions/promote as the runner runs it (dist/promote/index.cjs on the Node
 * its action.yml names), against an authenticated registry:2 and a GitOps
 * remote: outputs, summary, masking, and a refusal that fails the step.
 */
const LABEL = `promote-action-${process.pid}`;
const ACCOUNT = { username: "ci", password: "promote-p4ss" };

describe.skipIf(!dockerAvailable)("actions/promote", () => {
  let registry: TestRegistry;
  let remote: GitRemote;
  let home: string;
  const basic = {
    authorization: `Basic ${Buffer.from(`${ACCOUNT.username}:${ACCOUNT.password}`).toString("base64")}`,
  };

  beforeAll(async () => {
    registry = await startRegistry(LABEL, { auth: ACCOUNT });
    home = mkdtempSync(join(tmpdir(), "goflow-promote-action-"));
  });
  afterAll(async () => {
    removeLabelledContainers(LABEL);
    removeLabelledImages(LABEL);
    await remote?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const image = () => `${registry.host}/acme/go-auth`;
  const promote = (inputs: Record<string, string>) =>
    runAction({
      action: resolve("actions/promote"),
      inputs: {
        image: image(),
        environment: "staging",
        username: ACCOUNT.username,
        password: ACCOUNT.password,
        ...inputs,
      },
      env: { DOCKER_CONFIG: home, GITHUB_RUN_ID: "77" },
    });

  it("moves staging to the tested digest, commits it to the environment repository, and says what it replaced", async () => {
    const first = await pushTestImage(registry.url, "acme/go-auth", "sha-1", { headers: basic });
    const second = await pushTestImage(registry.url, "acme/go-auth", "sha-2", { headers: basic });
    for (const pushed of [first, second])
      await writeTestedMarker(image(), pushed.digest, { created: "t" }, { credentials: ACCOUNT });
    remote = createGitRemote({
      "staging/kustomization.yaml": `kind: Kustomization\nresources: [deployment.yaml]\nimages:\n  - name: go-auth\n    newName: ${image()}\n    newTag: develop\n`,
    });
    const gitops = {
      "gitops-repository": remote.fileUrl,
      "gitops-files": "staging/kustomization.yaml",
      version: "1.4.0",
    };

    const run1 = await promote({ digest: first.digest, ...gitops });
    expect(run1.main.exitCode, run1.main.stdout + run1.main.stderr).toBe(0);
    const run2 = await promote({ digest: second.digest, ...gitops });
    expect(run2.main.exitCode, run2.main.stdout + run2.main.stderr).toBe(0);
    expect(run2.outputs).toMatchObject({
      image: `${image()}@${second.digest}`,
      digest: second.digest,
      "previous-digest": first.digest,
      tags: "staging",
      changed: "true",
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(remote.show("staging/kustomization.yaml")).toContain(`digest: ${second.digest}`);
    expect(remote.log()[0]).toBe(`goflow: promote ${image()} 1.4.0 to staging`);
    expect(run2.summary).toContain("### Promoted to staging");
    const logged = run2.main.stdout.split("\n").filter((line) => !line.startsWith("::add-mask::"));
    expect(logged.join("\n")).not.toContain(ACCOUNT.password);
    expect(run2.main.commands.some((c) => c.command === "add-mask" && c.message === ACCOUNT.password)).toBe(
      true,
    );
    expect((await registry.image("acme/go-auth", "staging")).digest).toBe(second.digest);

    const again = await promote({ digest: second.digest, ...gitops });
    expect(again.outputs).toMatchObject({ changed: "false", commit: "" });
    expect(again.summary).toContain("### staging already runs this image");
  });

  it("accepts what docker-package pushed with tested-marker, as the pipeline's publish job does", async () => {
    const workspace = mkdtempSync(join(home, "ws-"));
    cpSync(resolve("test/fixtures/package"), workspace, { recursive: true });
    const publish = await runAction({
      action: resolve("actions/docker-package"),
      workspace,
      inputs: {
        image: `${registry.host}/acme/marked`,
        labels: `io.goflow.test=${LABEL}`,
        push: "true",
        "tested-marker": "true",
        username: ACCOUNT.username,
        password: ACCOUNT.password,
      },
      env: { DOCKER_CONFIG: join(home, "docker-publish"), GITHUB_RUN_ID: "91" },
    });
    expect(publish.main.exitCode, publish.main.stdout + publish.main.stderr).toBe(0);
    const digest = publish.outputs.digest ?? "";
    expect(digest).toMatch(/^sha256:/);
    expect(publish.main.stdout).toContain(`marked ${registry.host}/acme/marked@${digest} as tested`);

    const run = await runAction({
      action: resolve("actions/promote"),
      inputs: { image: `${registry.host}/acme/marked`, digest, environment: "staging", ...ACCOUNT },
      env: { DOCKER_CONFIG: home },
    });
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    expect(run.main.stdout).toContain(`passed in https://github.com/`);
    expect((await registry.image("acme/marked", "staging")).digest).toBe(digest);
  });

  it("fails the step, before anything changes, for an image that was not tested", async () => {
    const untested = await pushTestImage(registry.url, "acme/go-auth", "sha-3", { headers: basic });
    const run = await promote({ digest: untested.digest, tags: "qa" });
    expect(run.main.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message).join("\n")).toContain(
      "has not passed goflow's integration tests",
    );
    expect(run.outputs).toEqual({});
    const tags = await registry.tags("acme/go-auth");
    expect(tags).not.toContain("qa");
  });
});
