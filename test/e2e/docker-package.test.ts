import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionRun, chownTree, runAction } from "../harness/run-action.js";
import { docker, dockerAvailable } from "./support/docker.js";
import { runGoInContainer } from "./support/go.js";
import {
  removeLabelledContainers,
  removeLabelledImages,
  startRegistry,
  type TestRegistry,
} from "./support/registry.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * The docker-package action, built and run as the runner runs it, against the
 * real engine and a real registry: the example service's binary packaged on
 * develop, on a version tag and on a fork pull request, the inputs that must
 * fail before anything is built, and the save-artifact → load-artifact hand-off
 * through which the pipeline publishes the image it tested.
 */
const ACTION = "actions/docker-package";
const EXAMPLE = resolve("examples/go-auth");
const TEST_ID = `docker-package-${process.pid}`;
const DEVELOP_SHA = "0123456789abcdef0123456789abcdef01234567";
const TAG_SHA = "89abcdef0123456789abcdef0123456789abcdef";
const PR_MERGE_SHA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const PR_HEAD_SHA = "fedcba9876543210fedcba9876543210fedcba98";
const PASSWORD = "s3cret-registry-pass";

type RunOptions = Parameters<typeof runAction>[0];

describe.skipIf(!dockerAvailable)("actions/docker-package", () => {
  let registry: TestRegistry;
  let user: { uid: number; gid: number };
  let root: string;
  let binary: string;
  let artifactDir: string;

  beforeAll(async () => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-package-e2e-"));
    chmodSync(root, 0o755);
    const source = join(root, "source");
    cpSync(EXAMPLE, source, { recursive: true });
    chownTree(source, user);
    runGoInContainer(source, user, ["go", "build", "-trimpath", "-o", "go-auth", "."]);
    binary = join(source, "go-auth");
    artifactDir = join(root, "artifacts");
    mkdirSync(artifactDir);
    chownTree(artifactDir, user);
    registry = await startRegistry(TEST_ID);
  });

  afterAll(() => {
    removeLabelledImages(TEST_ID);
    removeLabelledContainers(TEST_ID);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A checkout of the example; with the binary unless it comes from an artifact. */
  function workspace(withBinary = true): string {
    const dir = mkdtempSync(join(root, "workspace-"));
    cpSync(EXAMPLE, dir, { recursive: true });
    if (withBinary) cpSync(binary, join(dir, "go-auth"));
    chownTree(dir, user);
    return dir;
  }

  const image = (repository = "acme/go-auth") => `${registry.host}/${repository}`;

  /** Runs the action as the runner user; every case labels its image so it can be found (or not) by case. */
  function runPackage(testCase: string, options: Omit<RunOptions, "action">): Promise<ActionRun> {
    return runAction({
      action: ACTION,
      user,
      workspace: workspace(),
      ...options,
      inputs: {
        image: image(),
        labels: `io.goflow.test=${TEST_ID}\nio.goflow.test.case=${testCase}`,
        ...options.inputs,
      },
      env: { GOFLOW_ARTIFACT_DIR: artifactDir, ...options.env },
    });
  }

  const imagesOfCase = (testCase: string) =>
    docker("images", "--quiet", "--filter", `label=io.goflow.test.case=${testCase}`)
      .split("\n")
      .filter(Boolean);
  const built = (run: ActionRun) =>
    run.main.commands.some((c) => c.command === "group" && /^docker build/.test(c.message));
  const failure = (run: ActionRun) =>
    run.annotations
      .filter((c) => c.command === "error")
      .map((c) => c.message)
      .join("\n");
  const describeRun = (run: ActionRun) => `${run.main.stdout}\n${run.main.stderr}`;

  it("push to develop: binaries from the artifact, login, push develop and sha tags with OCI labels, logout", async () => {
    const dir = workspace(false);
    mkdirSync(join(artifactDir, "binaries"));
    cpSync(binary, join(artifactDir, "binaries", "go-auth"));
    // Artifacts do not keep file modes; the action must restore the executable bit.
    chmodSync(join(artifactDir, "binaries", "go-auth"), 0o644);
    chownTree(artifactDir, user);

    const run = await runPackage("develop", {
      workspace: dir,
      event: { name: "push", payload: "push-develop" },
      env: { GITHUB_REF: "refs/heads/develop", GITHUB_SHA: DEVELOP_SHA },
      inputs: { "artifact-name": "binaries", username: "ci-bot", password: PASSWORD },
    });
    expect(run.main.exitCode, describeRun(run)).toBe(0);
    expect(statSync(join(dir, "go-auth")).mode & 0o111).toBe(0o111);

    const references = [`${image()}:develop`, `${image()}:sha-0123456`];
    expect(run.outputs).toMatchObject({
      version: "develop",
      channel: "develop",
      tags: references.join("\n"),
      image: references[0],
      pushed: "true",
      "should-push": "true",
    });
    expect(run.outputs["image-id"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registry.tags("acme/go-auth")).toEqual(expect.arrayContaining(["develop", "sha-0123456"]));

    const pushed = await registry.image("acme/go-auth", "develop");
    expect(run.outputs.digest).toBe(pushed.digest);
    expect(JSON.parse(run.outputs.json ?? "")).toMatchObject({
      digest: pushed.digest,
      pushed: true,
      tags: references,
    });
    // toMatchObject: the base image may bring labels of its own (a vendor, say).
    expect(pushed.labels).toMatchObject({
      "org.opencontainers.image.created": expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      "org.opencontainers.image.description": "User registration and token service",
      "org.opencontainers.image.licenses": "MIT",
      "org.opencontainers.image.revision": DEVELOP_SHA,
      "org.opencontainers.image.source": "https://github.com/acme/go-auth",
      "org.opencontainers.image.title": "go-auth",
      "org.opencontainers.image.url": "https://github.com/acme/go-auth",
      "org.opencontainers.image.version": "develop",
      "io.goflow.channel": "develop",
      "io.goflow.test": TEST_ID,
      "io.goflow.test.case": "develop",
    });
    expect((await registry.image("acme/go-auth", "sha-0123456")).digest).toBe(pushed.digest);

    // The password is masked before anything is logged, and never printed otherwise.
    const masks = run.main.commands.filter((c) => c.command === "add-mask").map((c) => c.message);
    expect(masks).toContain(PASSWORD);
    expect(run.main.stdout.replace(`::add-mask::${PASSWORD}`, "")).not.toContain(PASSWORD);
    expect(run.state["registry-login"]).toBe(registry.host);
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain(`logged out of ${registry.host}`);
    const dockerConfig = join(dirname(run.runnerTemp), "home", ".docker", "config.json");
    expect(readFileSync(dockerConfig, "utf8")).not.toContain(registry.host);

    expect(run.summary).toContain("| version | `develop` |");
    expect(run.summary).toContain("| push | pushed: push to develop: published |");
  });

  it("tag v1.2.3: 1.2.3, 1.2, 1 and latest, created from SOURCE_DATE_EPOCH", async () => {
    const run = await runPackage("release", {
      event: { name: "push", payload: "push-tag-v1.2.3" },
      env: { GITHUB_REF: "refs/tags/v1.2.3", GITHUB_SHA: TAG_SHA, SOURCE_DATE_EPOCH: "1700000000" },
    });
    expect(run.main.exitCode, describeRun(run)).toBe(0);
    const tags = ["1.2.3", "1.2", "1", "latest"];
    expect(run.outputs.tags).toBe(tags.map((tag) => `${image()}:${tag}`).join("\n"));
    expect(run.outputs).toMatchObject({ version: "1.2.3", channel: "release", pushed: "true" });
    // No token in the harness and no git checkout: the tag counts as the highest, and the log says why.
    expect(run.main.stdout).toContain("no version tags available");
    expect(await registry.tags("acme/go-auth")).toEqual(expect.arrayContaining(tags));
    const pushed = await registry.image("acme/go-auth", "1.2.3");
    expect(pushed.labels).toMatchObject({
      "org.opencontainers.image.created": "2023-11-14T22:13:20Z",
      "org.opencontainers.image.revision": TAG_SHA,
      "org.opencontainers.image.version": "1.2.3",
      "io.goflow.channel": "release",
    });
    expect((await registry.image("acme/go-auth", "latest")).digest).toBe(pushed.digest);
    expect(run.post?.stdout ?? "").not.toContain("logged out");
  });

  const forkPullRequest = {
    event: { name: "pull_request", payload: "pull-request-fork" },
    env: {
      GITHUB_REF: "refs/pull/42/merge",
      GITHUB_SHA: PR_MERGE_SHA,
      GITHUB_HEAD_REF: "feature/MSP-123",
      GITHUB_BASE_REF: "develop",
    },
  };

  it("cancelled during docker build: stops the build and fails, never green", async () => {
    const dir = workspace();
    // A unique line so no cache can skip the step; without cancellation the build would run 300 s, then pass.
    writeFileSync(
      join(dir, "Dockerfile.slow"),
      `FROM debian:bookworm-slim\nRUN echo "goflow-fixture: build started ${process.pid}-${Date.now()}" && sleep 300\n`,
    );
    chownTree(dir, user);
    const run = await runPackage("cancel", {
      workspace: dir,
      event: { name: "push", payload: "push-develop" },
      env: { GITHUB_REF: "refs/heads/develop", GITHUB_SHA: DEVELOP_SHA },
      inputs: { dockerfile: "Dockerfile.slow", push: "false" },
      interrupt: { when: /goflow-fixture: build started/, signal: "SIGTERM" },
    });
    expect(run.main.exitCode, describeRun(run)).not.toBe(0);
    expect(failure(run)).toMatch(/cancelled: docker-package stopped before its work finished/);
    expect(run.main.stdout).toContain("SIGTERM received: stopping docker");
    expect(run.outputs).toEqual({});
    expect(imagesOfCase("cancel")).toEqual([]);
  });

  it("fork pull request: built and labelled with the head commit, never logged in or pushed", async () => {
    // Secrets are empty on fork pull requests: a username without password must not fail the build.
    const run = await runPackage("fork", {
      ...forkPullRequest,
      inputs: { username: "ci-bot", password: "" },
    });
    expect(run.main.exitCode, describeRun(run)).toBe(0);
    expect(run.outputs).toMatchObject({
      version: "pr-42",
      channel: "pull-request",
      tags: `${image()}:pr-42\n${image()}:sha-fedcba9`,
      pushed: "false",
      "should-push": "false",
      digest: "",
    });
    const registryTags = await registry.tags("acme/go-auth");
    expect(registryTags).not.toContain("pr-42");
    expect(registryTags).not.toContain("sha-fedcba9");
    expect(run.summary).toContain("| push | not pushed: pull request from a fork: not pushed |");
    expect(run.main.stdout).not.toContain("logged in");
    expect(run.state["registry-login"]).toBeUndefined();
    const revision = docker(
      "image",
      "inspect",
      "--format",
      '{{index .Config.Labels "org.opencontainers.image.revision"}}',
      `${image()}:pr-42`,
    );
    expect(revision).toBe(PR_HEAD_SHA);
  });

  it.each<[string, Omit<RunOptions, "action">, RegExp]>([
    [
      "push true on a fork pull request",
      { ...forkPullRequest, inputs: { push: "true" } },
      /push: true cannot publish pr-42, a pull request from a fork.*secrets are not available/,
    ],
    [
      "a missing Dockerfile",
      { inputs: { dockerfile: "docker/Dockerfile.prod" } },
      /Dockerfile '.*\/docker\/Dockerfile\.prod' does not exist; add it, or set dockerfile/,
    ],
    [
      "an upper-case image name",
      { inputs: { image: "localhost:5000/Acme/Go-Auth" } },
      /repository names must be lower-case; use 'localhost:5000\/acme\/go-auth'/,
    ],
    [
      "login without a password",
      { inputs: { username: "ci-bot" } },
      /username 'ci-bot' is set for localhost:\d+ but password is empty/,
    ],
    [
      "several platforms",
      { inputs: { platforms: "linux/amd64,linux/arm64" } },
      /platforms lists 2 platforms .*one platform per job/,
    ],
  ])("fails before building on %s", async (name, options, message) => {
    const testCase = `invalid-${name.replace(/\W+/g, "-")}`;
    const run = await runPackage(testCase, {
      event: { name: "push", payload: "push-develop" },
      ...options,
    });
    expect(run.main.exitCode).toBe(1);
    expect(failure(run)).toMatch(/^docker-package: /);
    expect(failure(run)).toMatch(message);
    expect(built(run)).toBe(false);
    expect(imagesOfCase(testCase)).toEqual([]);
    expect(run.post?.exitCode).toBe(0);
  });

  it("defer-push + save-artifact, then load-artifact: the publish job pushes exactly the image that was built", async () => {
    const published = image("acme/go-auth-published");
    const develop = {
      event: { name: "push", payload: "push-develop" },
      env: { GITHUB_REF: "refs/heads/develop", GITHUB_SHA: DEVELOP_SHA },
    };
    const build = await runPackage("round-trip", {
      ...develop,
      // As the pipeline's package job: decide, but leave the push to the job after the tests.
      inputs: { image: published, "defer-push": "true", "save-artifact": "go-auth-image" },
    });
    expect(build.main.exitCode, describeRun(build)).toBe(0);
    expect(build.outputs).toMatchObject({ pushed: "false", "should-push": "true" });
    expect(build.main.stdout).toContain("deferred to a later job (defer-push)");
    expect(existsSync(join(artifactDir, "go-auth-image", "image.tar"))).toBe(true);
    expect(await registry.tags("acme/go-auth-published")).toEqual([]);

    // A fresh runner in the publish job: the image is not on this engine any more.
    const imageId = build.outputs["image-id"] ?? "";
    docker("image", "rm", "--force", imageId);
    expect(imagesOfCase("round-trip")).toEqual([]);

    const publishWorkspace = mkdtempSync(join(root, "publish-"));
    chownTree(publishWorkspace, user);
    const publish = await runAction({
      action: ACTION,
      user,
      workspace: publishWorkspace,
      ...develop,
      inputs: { image: published, "load-artifact": "go-auth-image" },
      env: { ...develop.env, GOFLOW_ARTIFACT_DIR: artifactDir },
    });
    expect(publish.main.exitCode, describeRun(publish)).toBe(0);
    expect(built(publish)).toBe(false);
    expect(publish.outputs).toMatchObject({ "image-id": imageId, pushed: "true", channel: "develop" });
    expect(await registry.tags("acme/go-auth-published")).toEqual(["develop", "sha-0123456"]);
    const pushed = await registry.image("acme/go-auth-published", "develop");
    expect(pushed.labels["io.goflow.test.case"]).toBe("round-trip");
    expect(publish.outputs.digest).toBe(pushed.digest);
    expect(publish.summary).toContain("| source | loaded from a save-artifact archive |");
  });
});
