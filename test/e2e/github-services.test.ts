import {
  chmodSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheScopesFor, type ResultsService, startResultsService } from "../harness/results-service.js";
import { type ActionRun, chownTree, runAction } from "../harness/run-action.js";
import type { RuntimeClaims } from "../harness/runtime-token.js";
import { docker, dockerAvailable } from "./support/docker.js";
import { checkoutExample } from "./support/example-checkout.js";
import { removeLabelledImages } from "./support/registry.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * go-build and docker-package on the GitHub side for the first time: the
 * runner's ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL, ACTIONS_CACHE_URL and
 * ACTIONS_CACHE_SERVICE_V2 point at the local results service, so the bundled
 * @actions/artifact and @actions/cache clients do the uploads, downloads,
 * restores and saves, each job on a fresh runner (workspace, RUNNER_TEMP, cache-dir).
 */
const TEST_ID = `github-services-${process.pid}`;
const IMAGE = "registry.example.com/acme/go-auth";

describe.skipIf(!dockerAvailable)("the actions against GitHub's artifact and cache services", () => {
  let service: ResultsService;
  let user: { uid: number; gid: number };
  let root: string;

  beforeAll(async () => {
    service = await startResultsService();
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-services-e2e-"));
    chmodSync(root, 0o755);
  });
  afterAll(async () => {
    removeLabelledImages(TEST_ID);
    await service?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const develop = (runId: string, jobId: string): RuntimeClaims => ({
    runId,
    jobId,
    cacheScopes: cacheScopesFor("refs/heads/develop", { defaultBranch: "main" }),
  });

  /** A fresh runner's checkout: the example in git, with what a real repository holds besides the code. */
  function checkout(name: string): string {
    const { dir } = checkoutExample(root, name, "develop", user);
    mkdirSync(join(dir, "scripts"));
    writeFileSync(join(dir, "scripts", "notes.sh"), "#!/bin/sh\necho notes\n");
    chmodSync(join(dir, "scripts", "notes.sh"), 0o644);
    chownTree(dir, user);
    // Dangling, as a committed link to generated docs is in a fresh checkout (chownTree would follow it).
    symlinkSync("../build/generated-docs", join(dir, "docs-latest"));
    lchownSync(join(dir, "docs-latest"), user.uid, user.gid);
    return dir;
  }

  /**
   * The cache-dir of a fresh runner: empty, at the same path on every runner
   * (as RUNNER_TEMP is on GitHub's), since the paths are part of a cache entry's version.
   */
  function freshCacheDir(): string {
    const dir = join(root, "runner-cache");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    chownTree(dir, user);
    return dir;
  }

  const log = (run: ActionRun) => `${run.main.stdout}\n${run.main.stderr}\n${run.post?.stdout ?? ""}`;

  const build = (claims: RuntimeClaims) =>
    runAction({
      action: resolve("actions/go-build"),
      user,
      workspace: checkout(`build-${claims.runId}-${claims.jobId}`),
      timeoutMs: 8 * 60_000,
      inputs: { "artifact-name": "goflow-binaries", "cache-dir": freshCacheDir(), "retention-days": "30" },
      env: service.runtimeEnv(claims),
    });

  /** The package job: binaries from the artifact into the checkout, the image saved as an artifact. */
  const packageJob = (workspace: string, claims: RuntimeClaims) =>
    runAction({
      action: resolve("actions/docker-package"),
      user,
      workspace,
      inputs: {
        image: IMAGE,
        labels: `io.goflow.test=${TEST_ID}`,
        "artifact-name": "goflow-binaries",
        "defer-push": "true",
        "save-artifact": "goflow-image",
        "retention-days": "30",
      },
      env: service.runtimeEnv(claims),
    });

  it(
    "build uploads the binaries and saves the Go caches; package takes exactly the artifact's files",
    async () => {
      const built = await build(develop("run-1", "build"));
      expect(built.main.exitCode, log(built)).toBe(0);
      expect(built.outputs["cache-hit"]).toBe("false");
      // A service id, not the local store's `local:` path.
      expect(built.outputs["artifact-id"]).toMatch(/^\d+$/);
      expect(service.artifacts("run-1").map((a) => a.name)).toEqual(["goflow-binaries"]);
      expect(built.post?.exitCode, log(built)).toBe(0);
      const saved = service.cacheEntries().map((entry) => entry.key);
      expect(saved).toEqual([expect.stringMatching(/^goflow-go-linux-/)]);

      const workspace = checkout("package-run-1");
      const packaged = await packageJob(workspace, develop("run-1", "package"));
      expect(packaged.main.exitCode, log(packaged)).toBe(0);
      // The artifact's one file, executable again; nothing of the checkout (.git, scripts, the dangling symlink).
      const listed = packaged.main.stdout.split("\n").filter((line) => /^go-auth|executable\)/.test(line));
      expect(listed).toEqual(["go-auth (executable)"]);
      expect(packaged.main.stdout).not.toContain(".git/");
      expect(statSync(join(workspace, "scripts", "notes.sh")).mode & 0o777).toBe(0o644);
      expect(statSync(join(workspace, "go-auth")).mode & 0o111).not.toBe(0);
      expect(service.artifacts("run-1").map((a) => a.name)).toEqual(["goflow-binaries", "goflow-image"]);

      // A second upload of a name in the run (another leg with the same names) is refused.
      const again = await packageJob(checkout("package-again-run-1"), develop("run-1", "package-again"));
      expect(again.main.exitCode).not.toBe(0);
      expect(log(again)).toMatch(/\(409\) Conflict/);
    },
    15 * 60_000,
  );

  it(
    "a later run on a fresh runner restores the caches the first run saved",
    async () => {
      const second = await build(develop("run-2", "build"));
      expect(second.main.exitCode, log(second)).toBe(0);
      expect(second.outputs["cache-hit"]).toBe("true");
      expect(log(second)).toMatch(/Cache hit for: goflow-go-linux-/);
      // Immutable: nothing new was saved for the key that hit.
      expect(service.cacheEntries()).toHaveLength(1);
    },
    15 * 60_000,
  );

  it("publish loads the image archive from the artifact on a fresh runner", async () => {
    const published = await runAction({
      action: resolve("actions/docker-package"),
      user,
      workspace: checkout("publish-run-1"),
      inputs: { image: IMAGE, "load-artifact": "goflow-image", push: "false" },
      env: service.runtimeEnv(develop("run-1", "publish")),
    });
    expect(published.main.exitCode, log(published)).toBe(0);
    expect(published.summary).toContain("| source | loaded from a save-artifact archive |");
    expect(docker("image", "inspect", "--format", "{{.Id}}", `${IMAGE}:develop`)).toMatch(/^sha256:/);
    expect(published.outputs.image).toBe(`${IMAGE}:develop`);
  });
});
