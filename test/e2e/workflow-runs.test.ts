import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { type ResultsService, startResultsService } from "../harness/results-service.js";
import {
  type JobResult,
  runWorkflow,
  type WorkflowRun,
  type WorkflowRunOptions,
} from "../harness/workflow/runner.js";
import { removeStandIns } from "../harness/workflow/standins.js";
import { docker, dockerAvailable, leftovers } from "./support/docker.js";
import { checkoutExample, printedRunLabels } from "./support/example-checkout.js";
import { removeLabelledContainers, startRegistry, type TestRegistry } from "./support/registry.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * The reusable workflow as users run it: the examples/workflows callers (their
 * image pointed at a local registry that requires a password), run by the local
 * runner on GitHub's parser and expressions, against examples/go-auth, each job
 * on a fresh runner with the artifact and cache services and the registry the
 * only things between jobs. The scenarios of issue #15.
 */
const TEST_ID = `workflow-runs-${process.pid}`;
const ACCOUNT = { username: "ci-bot", password: `pw-${process.pid}-s3cret` };
const EXAMPLES = resolve("examples/workflows");
const ROOT = { uid: 0, gid: 0 };

describe.skipIf(!dockerAvailable)("the reusable workflow, run end to end", () => {
  let registry: TestRegistry;
  let results: ResultsService;
  let root: string;
  let runnerRoot: string;
  let repo: string;
  let sha: string;
  let logFile: string;
  let user: { uid: number; gid: number };

  beforeAll(async () => {
    registry = await startRegistry(TEST_ID, { auth: ACCOUNT });
    results = await startResultsService();
    root = mkdtempSync(join(tmpdir(), "goflow-workflow-e2e-"));
    chmodSync(root, 0o755);
    runnerRoot = join(root, "runner");
    // Everything the runner printed, for reading after a failure; removed with root.
    logFile = join(root, "runs.log");
    mkdirSync(runnerRoot);
    // Every step runs as the hosted runner's user (uid 1001, docker group), as on GitHub.
    user = ensureRunnerUser();
    // The repositories are GitHub's side: root's, cloned into each job's workspace and handed over.
    ({ dir: repo, sha } = checkoutExample(root, "go-auth", "develop", ROOT));
    git(repo, "tag", "v1.2.3");
  });
  afterAll(async () => {
    removeLabelledContainers(TEST_ID);
    removeImages(`${registry?.host}/*/*`);
    await results?.close();
    removeStandIns();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** An example caller with its image in the local registry and the registry account passed as secrets. */
  function caller(
    example: string,
    repository: string,
    edit?: (job: Record<string, unknown>) => void,
  ): string {
    const workflow = parseYaml(readFileSync(join(EXAMPLES, example), "utf8")) as {
      jobs: Record<string, Record<string, unknown>>;
    };
    const job = workflow.jobs.pipeline ?? {};
    const inputs = job.with as Record<string, unknown>;
    inputs.image = `${registry.host}/${repository}`;
    job.secrets = {
      "registry-username": "${{ secrets.REGISTRY_USERNAME }}",
      "registry-password": "${{ secrets.REGISTRY_PASSWORD }}",
    };
    edit?.(job);
    const file = join(root, `${repository.replace(/\W/g, "-")}-${example}`);
    writeFileSync(file, stringifyYaml(workflow));
    return file;
  }

  async function run(
    options: Partial<WorkflowRunOptions> & Pick<WorkflowRunOptions, "caller" | "event" | "ref">,
  ): Promise<WorkflowRun> {
    appendFileSync(logFile, `\n=== ${options.caller} ${options.event} ${options.ref}\n`);
    return runWorkflow({
      repo,
      results,
      runnerRoot,
      secrets: { REGISTRY_USERNAME: ACCOUNT.username, REGISTRY_PASSWORD: ACCOUNT.password },
      freshImages: [`${registry.host}/*/*`],
      user,
      log: (line) => appendFileSync(logFile, `${line}\n`),
      ...options,
    });
  }

  const job = (run: WorkflowRun, id: string): JobResult => {
    const found = run.jobs.find((j) => j.id === id);
    if (!found) throw new Error(`no job ${id} in ${run.jobs.map((j) => j.id).join(", ")}`);
    return found;
  };
  const results_ = (run: WorkflowRun) => Object.fromEntries(run.jobs.map((j) => [j.id, j.result]));
  const stepOutputs = (j: JobResult, id: string) =>
    j.steps.find((s) => s.id === id && !s.post)?.outputs ?? {};
  const explain = (run: WorkflowRun) =>
    run.jobs
      .flatMap((j) =>
        j.steps
          .filter((s) => s.conclusion === "failure")
          .map((s) => `${j.id} / ${s.name}:\n${s.log.slice(-3000)}`),
      )
      .join("\n");

  let firstBuildMs = 0;

  it("(a) a push to develop builds, packages, tests and publishes the tested image as develop and sha-<7>", async () => {
    const outcome = await run({
      caller: caller("develop.yml", "acme/go-auth"),
      event: "push",
      ref: "refs/heads/develop",
    });
    firstBuildMs = job(outcome, "pipeline/build").durationMs;
    expect(outcome.conclusion, explain(outcome)).toBe("success");
    expect(results_(outcome)).toMatchObject({
      "pipeline/build": "success",
      "pipeline/package": "success",
      "pipeline/integration-test": "success",
      "pipeline/publish": "success",
      "pipeline/deploy-staging": "skipped",
    });
    expect(await registry.tags("acme/go-auth")).toEqual(
      expect.arrayContaining(["develop", `sha-${sha.slice(0, 7)}`]),
    );
    const pushed = await registry.image("acme/go-auth", "develop");
    expect(outcome.outputs.pipeline?.digest).toBe(pushed.digest);
    expect(outcome.outputs.pipeline?.pushed).toBe("true");
    // The pushed image is the archive the integration tests loaded and ran: same config, no rebuild.
    const tested = job(outcome, "pipeline/integration-test");
    const loaded = /Loaded image: (\S+)/.exec(tested.steps.map((s) => s.log).join("\n"))?.[1];
    expect(loaded).toBe(outcome.outputs.pipeline?.image);
    expect(tested.images?.[loaded ?? ""]).toBe(configDigest(await manifest("acme/go-auth", "develop")));
    // The binary crossed the artifact with its executable bit (docker-package checks and says so).
    expect(
      job(outcome, "pipeline/package")
        .steps.map((s) => s.log)
        .join("\n"),
    ).toMatch(/go-auth \(executable\)/);
    // Publish logged in with the passed account (the runner masks it, as GitHub does) and out again.
    const publish = job(outcome, "pipeline/publish").steps.find((s) => s.id === "publish");
    expect(publish?.log).toContain(`logged in to ${registry.host} as ***`);
    const publishPost = job(outcome, "pipeline/publish").steps.find((s) => s.id === "publish" && s.post);
    expect(`${publish?.log}${publishPost?.log}`).toContain(`logged out of ${registry.host}`);
    expect(publish?.log).not.toContain(ACCOUNT.password);
    expect(job(outcome, "pipeline/build").permissions).toEqual({ contents: "read" });
    expect(job(outcome, "pipeline/publish").permissions).toEqual({ contents: "read", packages: "write" });
    expect(stepOutputs(job(outcome, "pipeline/build"), "build")["cache-hit"]).toBe("false");
    // Nothing any job left in its workspace is root's: the steps ran as the runner user.
    for (const j of outcome.jobs.filter((j) => j.steps.length > 0))
      expect([j.id, j.rootOwned]).toEqual([j.id, []]);
    // Every job ran the toolkit's actions of this commit, checked out at job.workflow_sha, never a tag.
    const toolkitSha = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    const toolkitSteps = outcome.jobs.flatMap((j) =>
      j.steps.filter((s) => s.uses?.includes("goflow-actions")),
    );
    expect(toolkitSteps.length).toBeGreaterThanOrEqual(5);
    expect(toolkitSteps.filter((s) => !s.uses?.startsWith("./.goflow-actions/actions/"))).toEqual([]);
    for (const j of outcome.jobs.filter((j) => j.result === "success"))
      expect(j.steps.map((s) => s.log).join("\n")).toContain(
        `checked out goflow-ci/goflow-actions@${toolkitSha}`,
      );
    expect(leftoversOf(outcome)).toEqual([]);
  });

  it("(b) a second develop run restores the Go caches the first one saved, and builds faster", async () => {
    expect(firstBuildMs).toBeGreaterThan(0);
    const outcome = await run({
      caller: caller("develop.yml", "acme/go-auth"),
      event: "push",
      ref: "refs/heads/develop",
    });
    expect(outcome.conclusion, explain(outcome)).toBe("success");
    const build = job(outcome, "pipeline/build");
    expect(stepOutputs(build, "build")["cache-hit"]).toBe("true");
    expect(build.durationMs).toBeLessThan(firstBuildMs);
  });

  it("(c, f) a v1.2.3 tag publishes the release tags and latest from two test shards, with no cache restore", async () => {
    const outcome = await run({
      caller: caller("release.yml", "acme/go-auth"),
      event: "push",
      ref: "refs/tags/v1.2.3",
    });
    expect(outcome.conclusion, explain(outcome)).toBe("success");
    expect(await registry.tags("acme/go-auth")).toEqual(
      expect.arrayContaining(["1.2.3", "1.2", "1", "latest"]),
    );
    // A tag's cache scope is its own ref (and the default branch): develop's caches are not restored.
    expect(stepOutputs(job(outcome, "pipeline/build"), "build")["cache-hit"]).toBe("false");
    // (f) two shards, each uploading its own report artifact: no 409.
    const shards = outcome.jobs.filter((j) => j.id === "pipeline/integration-test");
    expect(shards.map((j) => [j.matrix, j.result])).toEqual([
      [{ shard: 1 }, "success"],
      [{ shard: 2 }, "success"],
    ]);
    const names = results.artifacts(outcome.runId).map((a) => a.name);
    const prefix = job(outcome, "pipeline/package").outputs["artifact-prefix"];
    expect(names).toEqual(
      expect.arrayContaining([
        `${prefix}-compose-test-shard-1`,
        `${prefix}-compose-test-shard-2`,
        `${prefix}-image`,
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it("(d) a pull request from a fork logs in nowhere, pushes nothing and no secret reaches any step", async () => {
    const outcome = await run({
      caller: caller("pull-request.yml", "acme/go-auth-fork"),
      event: "pull_request",
      ref: "feature/login",
      fork: true,
    });
    expect(outcome.conclusion, explain(outcome)).toBe("success");
    expect(results_(outcome)).toMatchObject({
      "pipeline/integration-test": "success",
      "pipeline/publish": "skipped",
    });
    expect(await registry.tags("acme/go-auth-fork")).toEqual([]);
    expect(
      outcome.jobs.flatMap((j) => j.steps.filter((s) => /logged in to|docker login/.test(s.log))),
    ).toEqual([]);
    expect(JSON.stringify(outcome)).not.toContain(ACCOUNT.password);
    expect(JSON.stringify(outcome)).not.toContain(ACCOUNT.username);
  });

  it("(e) a failing spec skips publish, pushes nothing and is annotated", async () => {
    const failing = checkoutExample(root, "go-auth-failing", "develop", ROOT).dir;
    writeFileSync(
      join(failing, "tests", "broken.yml"),
      "name: broken\ntarget: goauth:9000\nwait:\n  request: GET /health\n  status: 200\ntests:\n  - name: health is a teapot\n    request:\n      method: GET\n      path: /health\n    expect:\n      status: 418\n",
    );
    git(failing, "add", ".");
    git(failing, "commit", "-qm", "a failing spec");
    {
      const outcome = await run({
        caller: caller("develop.yml", "acme/go-auth-failing"),
        event: "push",
        ref: "refs/heads/develop",
        repo: failing,
      });
      expect(outcome.conclusion).toBe("failure");
      expect(results_(outcome)).toMatchObject({
        "pipeline/integration-test": "failure",
        "pipeline/publish": "skipped",
      });
      expect(await registry.tags("acme/go-auth-failing")).toEqual([]);
      const annotations = job(outcome, "pipeline/integration-test").steps.flatMap((s) => s.annotations);
      // The failed test's own annotation: its name as the title, what differed as the message.
      const errors = JSON.stringify(annotations.filter((a) => a.command === "error"));
      expect(errors).toMatch(/health is a teapot/);
      expect(errors).toMatch(/expected 418, got 200/);
      expect(leftoversOf(outcome)).toEqual([]);
    }
  });

  it("(g) a run cancelled during the integration test leaves nothing behind and publishes nothing", async () => {
    const outcome = await run({
      caller: caller("develop.yml", "acme/go-auth-cancel"),
      event: "push",
      ref: "refs/heads/develop",
      cancelWhen: { job: /integration test/, when: /ready after/ },
    });
    expect(outcome.conclusion).toBe("cancelled");
    expect(results_(outcome)).toMatchObject({
      "pipeline/integration-test": "cancelled",
      "pipeline/publish": "skipped",
    });
    expect(await registry.tags("acme/go-auth-cancel")).toEqual([]);
    const labels = printedRunLabels(
      job(outcome, "pipeline/integration-test")
        .steps.map((s) => s.log)
        .join("\n"),
    );
    expect(labels.length).toBeGreaterThan(0);
    expect(leftoversOf(outcome)).toEqual([]);
  });

  it("(h) the monorepo caller's two matrix legs name their own artifacts and concurrency groups: no 409, no shared group", async () => {
    const mono = join(root, "mono");
    mkdirSync(join(mono, "services"), { recursive: true });
    for (const service of ["auth", "billing"])
      cpSync(resolve("examples/go-auth"), join(mono, "services", service), { recursive: true });
    git(mono, "init", "-q", "-b", "feature/split");
    git(mono, "add", ".");
    git(mono, "commit", "-qm", "two services");
    const workflow = parseYaml(readFileSync(join(EXAMPLES, "monorepo.yml"), "utf8")) as {
      jobs: { pipeline: { strategy: { matrix: { service: Record<string, string>[] } } } };
    };
    for (const service of workflow.jobs.pipeline.strategy.matrix.service) {
      service.image = service.image?.replace("ghcr.io", registry.host) ?? "";
      // Both folders hold the go-auth example, whose compose service is goauth.
      service["compose-service"] = "goauth";
    }
    const file = join(root, "monorepo.yml");
    writeFileSync(file, stringifyYaml(workflow));
    const outcome = await run({ caller: file, event: "pull_request", ref: "feature/split", repo: mono });
    expect(outcome.conclusion, explain(outcome)).toBe("success");
    const tests = outcome.jobs.filter((j) => j.id.endsWith("/integration-test"));
    expect(tests.map((j) => j.result)).toEqual(["success", "success"]);
    const names = results.artifacts(outcome.runId).map((a) => a.name);
    expect(names.filter((name) => name.endsWith("-binaries"))).toHaveLength(2);
    expect(names.filter((name) => name.endsWith("-image"))).toHaveLength(2);
    expect(new Set(names).size).toBe(names.length);
    const groups = Object.values(outcome.concurrency).map((c) => (c as { group: string }).group);
    expect(groups).toHaveLength(2);
    expect(new Set(groups).size).toBe(2);
    expect(await registry.tags("acme/auth")).toEqual([]);
  });

  function leftoversOf(outcome: WorkflowRun): string[] {
    const logs = outcome.jobs.flatMap((j) => j.steps.map((s) => s.log)).join("\n");
    return printedRunLabels(logs).flatMap((label) => leftovers(`io.goflow.run=${label}`));
  }

  async function manifest(repository: string, tag: string): Promise<{ config?: { digest: string } }> {
    const response = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
      headers: {
        accept:
          "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json",
        authorization: `Basic ${Buffer.from(`${ACCOUNT.username}:${ACCOUNT.password}`).toString("base64")}`,
      },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { config?: { digest: string } };
  }
});

function configDigest(manifest: { config?: { digest: string } }): string {
  return manifest.config?.digest ?? "";
}

function git(dir: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd: dir,
    stdio: "pipe",
  });
}

function removeImages(reference: string): void {
  const ids = docker("images", "--quiet", "--filter", `reference=${reference}`).split("\n").filter(Boolean);
  if (ids.length > 0) docker("image", "rm", "--force", ...new Set(ids));
}
