import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import type { PromoteOptions } from "../../src/options/promote.js";
import { RecordingReporter } from "../../src/runtime/reporter.js";
import { prepareGitopsChange, pushGitopsChange, removeGitopsClone } from "../../src/stages/promote/gitops.js";
import { runPromoteStage } from "../../src/stages/promote/stage.js";
import { writeTestedMarker } from "../../src/stages/tested-marker.js";
import { dockerAvailable } from "./support/docker.js";
import { createGitRemote, type GitRemote } from "./support/git-remote.js";
import { removeLabelledContainers, startRegistry, type TestRegistry } from "./support/registry.js";
import { pushTestImage, pushTestIndex, readManifestBytes } from "./support/registry-images.js";

/**
 * The promote stage against a real registry:2 (tags by digest, an index kept
 * byte for byte, release tags refused, the tested marker) and real git
 * remotes (a bare repository over file://, and git's http-backend with a
 * token), including two promotes racing for one branch.
 */
const LABEL = `promote-stage-${process.pid}`;
const TOKEN = "gitops-token-s3cr3t";

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml   # the app
images:
  # pinned by goflow
  - name: go-auth
    newName: IMAGE
    newTag: develop
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: go-auth
spec:
  selector: {matchLabels: {app: go-auth}}
  template:
    metadata: {labels: {app: go-auth}}
    spec:
      containers:
        - name: app
          image: go-auth
`;
const VALUES = `image:\n  repository: IMAGE\n  digest: "" # set by goflow\nreplicas: 2\n`;

describe.skipIf(!dockerAvailable)("the promote stage", () => {
  let registry: TestRegistry;
  let tempDir: string;

  beforeAll(async () => {
    registry = await startRegistry(LABEL);
    tempDir = mkdtempSync(join(tmpdir(), "goflow-promote-e2e-"));
    // No `docker login` of this machine may answer for the anonymous cases.
    process.env.DOCKER_CONFIG = mkdtempSync(join(tmpdir(), "goflow-promote-docker-config-"));
  });

  afterAll(() => {
    removeLabelledContainers(LABEL);
    rmSync(tempDir, { recursive: true, force: true });
    if (process.env.DOCKER_CONFIG) rmSync(process.env.DOCKER_CONFIG, { recursive: true, force: true });
  });

  const image = (name: string) => `${registry.host}/acme/${name}`;
  const options = (name: string, digest: string, extra: Partial<PromoteOptions> = {}): PromoteOptions => ({
    image: image(name),
    target: { digest },
    environment: "staging",
    tags: ["staging"],
    commitMessage: "",
    requireTested: true,
    ...extra,
  });
  const promote = (given: PromoteOptions, reporter = new RecordingReporter()) =>
    runPromoteStage(given, { reporter, tempDir });
  const tagDigest = async (name: string, tag: string) =>
    (await readManifestBytes(registry.url, `acme/${name}`, tag))?.digest;

  it("moves the environment's tag to a tested digest, and reports the previous one for a rollback", async () => {
    const first = await pushTestImage(registry.url, "acme/tags", "sha-1111111");
    const second = await pushTestImage(registry.url, "acme/tags", "sha-2222222");
    for (const pushed of [first, second])
      await writeTestedMarker(image("tags"), pushed.digest, {
        created: "2026-12-02T00:00:00Z",
        runUrl: "https://ci/runs/1",
      });

    const created = await promote(options("tags", first.digest));
    expect(created).toMatchObject({
      status: "ok",
      image: `${image("tags")}@${first.digest}`,
      previousDigest: undefined,
      changed: true,
    });
    expect(await tagDigest("tags", "staging")).toBe(first.digest);

    const moved = await promote(options("tags", second.digest));
    expect(moved).toMatchObject({
      previousDigest: first.digest,
      changed: true,
      tags: [{ tag: "staging", action: "move" }],
    });
    expect(await tagDigest("tags", "staging")).toBe(second.digest);

    const again = await promote(options("tags", second.digest));
    expect(again).toMatchObject({ changed: false, tags: [{ action: "unchanged" }] });
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it("keeps an index intact: the tag serves the same bytes, by the same digest", async () => {
    const index = await pushTestIndex(registry.url, "acme/multi", "build-1");
    await writeTestedMarker(image("multi"), index.digest, { created: "2026-12-02T00:00:00Z" });
    await promote(options("multi", index.digest, { tags: ["staging", "1.0"] }));
    const [original, staging] = await Promise.all([
      readManifestBytes(registry.url, "acme/multi", index.digest),
      readManifestBytes(registry.url, "acme/multi", "staging"),
    ]);
    expect(staging).toEqual(original);
    expect(staging?.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(JSON.parse(staging?.body ?? "{}").manifests).toHaveLength(2);
  });

  it.each([
    {
      name: "a digest the registry does not have",
      setup: async () => `sha256:${"0".repeat(64)}`,
      error: "is not in the registry",
    },
    {
      name: "an untested digest",
      setup: async () => (await pushTestImage(registry.url, "acme/refuse", "untested")).digest,
      error: "has not passed goflow's integration tests",
    },
    {
      name: "a release tag moved to another digest",
      setup: async () => {
        const released = await pushTestImage(registry.url, "acme/refuse", "1.2.3");
        await writeTestedMarker(image("refuse"), released.digest, { created: "t" });
        const next = await pushTestImage(registry.url, "acme/refuse", "sha-next");
        await writeTestedMarker(image("refuse"), next.digest, { created: "t" });
        return next.digest;
      },
      tags: ["staging", "1.2.3"],
      error: "release-version tags are immutable",
    },
  ])("refuses $name before changing anything", async ({ setup, error, tags }) => {
    const digest = await setup();
    const before = await registry.tags("acme/refuse");
    const promotion = promote(options("refuse", digest, { tags: tags ?? ["staging"] }));
    await expect(promotion).rejects.toThrow(ConfigurationError);
    await expect(promotion).rejects.toThrow(error);
    expect(await registry.tags("acme/refuse")).toEqual(before);
  });

  it("ends cancelled, with nothing moved, when the signal fired", async () => {
    const pushed = await pushTestImage(registry.url, "acme/cancel", "x");
    const controller = new AbortController();
    controller.abort(new Error("cancelled (SIGTERM)"));
    const result = await runPromoteStage(options("cancel", pushed.digest, { requireTested: false }), {
      reporter: new RecordingReporter(),
      tempDir,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ status: "cancelled", changed: false });
    expect(await registry.tags("acme/cancel")).toEqual(["x"]);
  });

  it("promotes an untested digest when require-tested is off", async () => {
    const pushed = await pushTestImage(registry.url, "acme/optout", "x");
    await promote(options("optout", pushed.digest, { requireTested: false }));
    expect(await tagDigest("optout", "staging")).toBe(pushed.digest);
  });

  describe("authenticated registry", () => {
    const account = { username: "ci", password: "p4ss" };
    let secured: TestRegistry;
    beforeAll(async () => {
      secured = await startRegistry(LABEL, { auth: account });
    });
    const basic = () => ({
      authorization: `Basic ${Buffer.from(`${account.username}:${account.password}`).toString("base64")}`,
    });

    it("logs in with the credentials, and says so clearly when they are wrong", async () => {
      const pushed = await pushTestImage(secured.url, "acme/auth", "x", { headers: basic() });
      const name = `${secured.host}/acme/auth`;
      await writeTestedMarker(name, pushed.digest, { created: "t" }, { credentials: account });
      const given = { ...options("auth", pushed.digest), image: name };
      await expect(promote({ ...given, credentials: { ...account, password: "wrong" } })).rejects.toThrow(
        `${secured.host} refused the credentials of 'ci' for acme/auth; check username and password`,
      );
      await expect(promote(given)).rejects.toThrow("refused an anonymous request");
      await promote({ ...given, credentials: account });
      expect(await secured.tags("acme/auth")).toContain("staging");
    });
  });

  describe("GitOps", () => {
    let remote: GitRemote;
    let digests: string[];

    beforeAll(async () => {
      const repo = image("gitops");
      remote = createGitRemote({
        "envs/staging/kustomization.yaml": KUSTOMIZATION.replace("IMAGE", repo),
        "envs/staging/deployment.yaml": DEPLOYMENT,
        "charts/values.yaml": VALUES.replace("IMAGE", repo),
        "plain/deployment.yaml": DEPLOYMENT.replace("image: go-auth", `image: ${repo}:develop`),
      });
      digests = [];
      for (const tag of ["one", "two"]) {
        const pushed = await pushTestImage(registry.url, "acme/gitops", tag);
        await writeTestedMarker(repo, pushed.digest, { created: "t" });
        digests.push(pushed.digest);
      }
    });
    afterAll(async () => {
      await remote.close();
    });

    const gitopsOptions = (digest: string, files: string[], extra: Partial<PromoteOptions["gitops"]> = {}) =>
      options("gitops", digest, {
        tags: [],
        version: "1.4.0",
        runUrl: "https://github.com/acme/go-auth/actions/runs/7",
        gitops: { repository: remote.fileUrl, files, ...extra },
      });

    it("commits the digest into the environment's files once, as goflow, and renders with kubectl kustomize", async () => {
      const digest = digests[0] ?? "";
      const result = await promote(
        gitopsOptions(digest, ["envs/staging/kustomization.yaml", "plain/deployment.yaml"]),
      );
      expect(result).toMatchObject({ changed: true, commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
      expect(remote.log()[0]).toBe(`goflow: promote ${image("gitops")} 1.4.0 to staging`);
      const kustomization = remote.show("envs/staging/kustomization.yaml");
      expect(kustomization).toContain(`    digest: ${digest}\n`);
      expect(kustomization).toContain("  - deployment.yaml   # the app\n");
      expect(remote.show("plain/deployment.yaml")).toContain(`image: ${image("gitops")}@${digest}`);

      const rendered = join(tempDir, "..", `goflow-kustomize-${process.pid}`);
      rmSync(rendered, { recursive: true, force: true });
      execFileSync("git", ["clone", "--quiet", remote.fileUrl, rendered]);
      try {
        const output = execFileSync("kubectl", ["kustomize", join(rendered, "envs/staging")], {
          encoding: "utf8",
        });
        expect(output).toContain(`image: ${image("gitops")}@${digest}`);
      } finally {
        rmSync(rendered, { recursive: true, force: true });
      }

      const commits = remote.log().length;
      const again = await promote(
        gitopsOptions(digest, ["envs/staging/kustomization.yaml", "plain/deployment.yaml"]),
      );
      expect(again).toMatchObject({ changed: false, commit: undefined });
      expect(remote.log()).toHaveLength(commits);
    });

    it("lands two promotes that race for one branch, losing neither update", async () => {
      const [one, two] = digests;
      const results = await Promise.all([
        promote(gitopsOptions(two ?? "", ["envs/staging/kustomization.yaml"])),
        promote({
          ...gitopsOptions(two ?? "", ["charts/values.yaml"], { key: "image.digest" }),
          environment: "charts",
        }),
      ]);
      expect(results.map((result) => result.changed)).toEqual([true, true]);
      expect(remote.show("envs/staging/kustomization.yaml")).toContain(`digest: ${two}`);
      expect(remote.show("charts/values.yaml")).toContain(`digest: "${two}" # set by goflow`);
      expect(remote.log().slice(0, 2).sort()).toEqual([
        `goflow: promote ${image("gitops")} 1.4.0 to charts`,
        `goflow: promote ${image("gitops")} 1.4.0 to staging`,
      ]);
      expect(one).not.toBe(two);
    });

    it("applies the change again on the new head when the branch moved after the clone", async () => {
      const digest = digests[0] ?? "";
      const pin = { repository: image("gitops"), digest };
      const target = { repository: remote.fileUrl, files: ["charts/values.yaml"], key: "image.digest" };
      const change = await prepareGitopsChange(target, pin, { tempDir });
      try {
        // Someone else lands a commit on the branch between this promote's clone and its push.
        const other = join(remote.root, "other");
        execFileSync("git", ["clone", "--quiet", remote.fileUrl, other]);
        writeFileSync(join(other, "envs/staging/deployment.yaml"), `${DEPLOYMENT}# scaled by hand\n`);
        execFileSync("git", [
          "-C",
          other,
          "-c",
          "user.name=o",
          "-c",
          "user.email=o@x",
          "commit",
          "--quiet",
          "-am",
          "scale by hand",
        ]);
        execFileSync("git", ["-C", other, "push", "--quiet", "origin", "HEAD"]);
        rmSync(other, { recursive: true, force: true });

        const reporter = new RecordingReporter();
        const pushed = await pushGitopsChange(change, target, pin, "goflow: race", { reporter });
        expect(pushed).toMatchObject({ changed: true, attempts: 2 });
        expect(reporter.lines.join("\n")).toContain("main moved while promoting (attempt 1)");
        expect(remote.log().slice(0, 2)).toEqual(["goflow: race", "scale by hand"]);
        expect(remote.show("charts/values.yaml")).toContain(`digest: "${digest}"`);
      } finally {
        removeGitopsClone(change);
      }
    });

    it.each([
      {
        name: "an unknown file format",
        files: ["envs/staging/deployment.yaml"],
        key: undefined,
        error: "no image: field uses",
      },
      {
        name: "a missing key",
        files: ["charts/values.yaml"],
        key: "image.tagz",
        error: "gitops-key 'image.tagz' is not a value",
      },
      { name: "a missing file", files: ["envs/prod/kustomization.yaml"], key: undefined, error: "is not in" },
    ])("refuses $name before any tag moves", async ({ files, key, error }) => {
      const before = await registry.tags("acme/gitops");
      const commits = remote.log().length;
      await expect(
        promote({ ...gitopsOptions(digests[0] ?? "", files, key ? { key } : {}), tags: ["qa"] }),
      ).rejects.toThrow(error);
      expect(await registry.tags("acme/gitops")).toEqual(before);
      expect(remote.log()).toHaveLength(commits);
    });

    it("authenticates over HTTP with the token, which no log line shows and no file keeps", async () => {
      const url = await remote.serveHttp(TOKEN);
      const reporter = new RecordingReporter();
      const wrong = {
        ...gitopsOptions(digests[0] ?? "", ["envs/staging/kustomization.yaml"], {
          repository: url,
          token: "nope",
        }),
        tags: ["qa"],
      };
      await expect(promote(wrong, reporter)).rejects.toThrow(
        "check the URL, gitops-branch and that gitops-token may read and push it",
      );
      expect(await registry.tags("acme/gitops")).not.toContain("qa");

      const right = gitopsOptions(digests[0] ?? "", ["envs/staging/kustomization.yaml"], {
        repository: url,
        token: TOKEN,
      });
      const result = await promote(right, reporter);
      expect(result.changed).toBe(true);
      expect(remote.show("envs/staging/kustomization.yaml")).toContain(`digest: ${digests[0]}`);
      expect(remote.seenAuthorizations).toContain(
        `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString("base64")}`,
      );
      expect(reporter.lines.join("\n")).not.toContain(TOKEN);
      expect(readdirSync(tempDir)).toEqual([]);
    });
  });
});
