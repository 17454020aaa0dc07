import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { DefaultArtifactClient } from "@actions/artifact";
import * as cache from "@actions/cache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeForRunsUsing } from "./node-binary.js";
import { cacheScopesFor, type ResultsService, startResultsService } from "./results-service.js";
import type { RuntimeClaims } from "./runtime-token.js";

/**
 * The local results service against the REAL clients: @actions/artifact and
 * @actions/cache from node_modules in this process, and the bundles the
 * actions load (dist/vendor/*.cjs) in a child on Node 24.
 */
let service: ResultsService;
const folders: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  service = await startResultsService();
});
afterAll(async () => {
  process.env = saved;
  await service.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const path = mkdtempSync(join(tmpdir(), "goflow-results-test-"));
  folders.push(path);
  return path;
}

/** Runs `body` with the variables the runner gives a job of this run. */
async function asJob<T>(claims: RuntimeClaims, body: () => Promise<T>): Promise<T> {
  const before = { ...process.env };
  Object.assign(process.env, service.runtimeEnv(claims), {
    GITHUB_SERVER_URL: "https://github.com",
    RUNNER_TEMP: folder(),
    GITHUB_WORKSPACE: folder(),
    // The clients retry failed requests for many seconds; a failure here should show at once.
    ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS: "60000",
  });
  try {
    return await body();
  } finally {
    process.env = before;
  }
}

const develop: RuntimeClaims = {
  runId: "run-1",
  jobId: "build",
  cacheScopes: cacheScopesFor("refs/heads/develop"),
};

describe("artifacts v4 with @actions/artifact", () => {
  it("uploads in blocks and downloads the same bytes, with the digest the upload reported", async () => {
    const source = folder();
    const big = randomBytes(9 * 1024 * 1024); // more than one 8 MB block
    mkdirSync(join(source, "bin"));
    writeFileSync(join(source, "bin", "go-auth"), big);
    writeFileSync(join(source, "notes.txt"), "hello");
    const uploaded = await asJob(develop, () =>
      new DefaultArtifactClient().uploadArtifact(
        "goflow-binaries",
        [join(source, "bin", "go-auth"), join(source, "notes.txt")],
        source,
        { retentionDays: 30 },
      ),
    );
    expect(uploaded.id).toBeGreaterThan(0);

    const into = folder();
    const reader = { ...develop, jobId: "package" };
    const found = await asJob(reader, () => new DefaultArtifactClient().getArtifact("goflow-binaries"));
    expect(found.artifact.digest).toBe(`sha256:${uploaded.digest}`);
    const downloaded = await asJob(reader, () =>
      new DefaultArtifactClient().downloadArtifact(found.artifact.id, {
        path: into,
        expectedHash: found.artifact.digest,
      }),
    );
    expect(downloaded.digestMismatch).toBe(false);
    expect(readFileSync(join(into, "bin", "go-auth")).equals(big)).toBe(true);
    expect(readFileSync(join(into, "notes.txt"), "utf8")).toBe("hello");
  });

  it("a second upload of the same name in the run gets 409 Conflict; another run may use the name", async () => {
    const source = folder();
    writeFileSync(join(source, "report.xml"), "<testsuites/>");
    const upload = (claims: RuntimeClaims) =>
      asJob(claims, () =>
        new DefaultArtifactClient().uploadArtifact("goflow-report", [join(source, "report.xml")], source),
      );
    await upload({ ...develop, runId: "run-2", jobId: "leg-a" });
    await expect(upload({ ...develop, runId: "run-2", jobId: "leg-b" })).rejects.toThrow(/\(409\) Conflict/);
    await expect(upload({ ...develop, runId: "run-3", jobId: "leg-a" })).resolves.toMatchObject({
      id: expect.any(Number),
    });
    expect(service.artifacts("run-2").map((a) => a.jobId)).toEqual(["leg-a"]);
  });

  it("an artifact of another run is not found", async () => {
    await expect(
      asJob({ ...develop, runId: "run-elsewhere" }, () =>
        new DefaultArtifactClient().getArtifact("goflow-binaries"),
      ),
    ).rejects.toThrow(/not found/i);
  });
});

describe("cache v2 with @actions/cache", () => {
  it("is available to the client only with the service's variables", () => {
    expect(cache.isFeatureAvailable()).toBe(false);
  });

  it("restores the exact key, then restore-keys as prefixes, newest first; entries are immutable", async () => {
    // Paths are part of the version, so every save and restore here uses the same absolute path.
    const path = join(folder(), "go-cache");
    const saveAt = (claims: RuntimeClaims, key: string, content: string) =>
      asJob(claims, async () => {
        writeFileSync(path, content);
        return cache.saveCache([path], key);
      });
    const restoreAt = (claims: RuntimeClaims, key: string, restoreKeys: string[] = []) =>
      asJob(claims, async () => {
        rmSync(path, { force: true });
        const matched = await cache.restoreCache([path], key, restoreKeys);
        return { matched, content: matched ? readFileSync(path, "utf8") : undefined };
      });

    expect(await saveAt(develop, "go-linux-aaa", "first")).toBeGreaterThan(0);
    expect(await saveAt(develop, "go-linux-bbb", "second")).toBeGreaterThan(0);
    // Immutable: the same key again is refused (the client logs it and returns -1), the entry stays.
    expect(await saveAt(develop, "go-linux-aaa", "changed")).toBe(-1);

    expect(await restoreAt(develop, "go-linux-aaa")).toEqual({ matched: "go-linux-aaa", content: "first" });
    expect(await restoreAt(develop, "go-linux-zzz", ["go-linux-"])).toEqual({
      matched: "go-linux-bbb",
      content: "second",
    });
    expect(await restoreAt(develop, "go-linux-zzz", ["nothing-", "go-linux-a"])).toEqual({
      matched: "go-linux-aaa",
      content: "first",
    });
    expect(await restoreAt(develop, "other")).toEqual({ matched: undefined, content: undefined });

    // A pull request into develop reads develop's caches and writes its own scope;
    // develop never reads the pull request's.
    const pull: RuntimeClaims = {
      runId: "run-pr",
      jobId: "build",
      cacheScopes: cacheScopesFor("refs/pull/7/merge", { baseRef: "develop", defaultBranch: "main" }),
    };
    expect(await restoreAt(pull, "go-linux-aaa")).toEqual({ matched: "go-linux-aaa", content: "first" });
    expect(await saveAt(pull, "go-linux-pr", "from the pull request")).toBeGreaterThan(0);
    expect(await restoreAt(pull, "go-linux-pr")).toMatchObject({ matched: "go-linux-pr" });
    expect(await restoreAt(develop, "go-linux-pr")).toEqual({ matched: undefined, content: undefined });
    expect(service.cacheEntries().map((e) => `${e.scope} ${e.key}`)).toEqual([
      "refs/heads/develop go-linux-aaa",
      "refs/heads/develop go-linux-bbb",
      "refs/pull/7/merge go-linux-pr",
    ]);
  });
});

describe("the bundles the actions load (dist/vendor) on Node 24", () => {
  const vendor = resolve(import.meta.dirname, "../../dist/vendor");

  // Asynchronous: the service answers from this process's event loop.
  it("upload, download, save and restore through the bundled clients", async () => {
    const work = folder();
    writeFileSync(join(work, "go-auth"), "\x7fELF binary");
    const script = `
      const { DefaultArtifactClient } = require(${JSON.stringify(join(vendor, "actions-artifact.cjs"))});
      const cache = require(${JSON.stringify(join(vendor, "actions-cache.cjs"))});
      const fs = require("node:fs");
      const path = require("node:path");
      (async () => {
        const dir = ${JSON.stringify(work)};
        const client = new DefaultArtifactClient();
        await client.uploadArtifact("bundled", [path.join(dir, "go-auth")], dir);
        const { artifact } = await client.getArtifact("bundled");
        const into = path.join(dir, "out");
        await client.downloadArtifact(artifact.id, { path: into });
        const saved = await cache.saveCache([path.join(dir, "go-auth")], "bundled-key");
        fs.rmSync(path.join(dir, "go-auth"));
        const matched = await cache.restoreCache([path.join(dir, "go-auth")], "bundled-other", ["bundled-"]);
        console.log("RESULT " + JSON.stringify({
          downloaded: fs.readFileSync(path.join(into, "go-auth"), "utf8"),
          saved: saved > 0,
          matched,
          restored: fs.readFileSync(path.join(dir, "go-auth"), "utf8"),
        }));
      })().catch((error) => { console.error(error); process.exit(1); });
    `;
    const claims: RuntimeClaims = {
      runId: "run-vendor",
      jobId: "build",
      cacheScopes: cacheScopesFor("refs/heads/develop"),
    };
    const result = await promisify(execFile)(nodeForRunsUsing("node24"), ["-e", script], {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        ...service.runtimeEnv(claims),
        GITHUB_SERVER_URL: "https://github.com",
        RUNNER_TEMP: work,
        GITHUB_WORKSPACE: work,
      },
      timeout: 120_000,
    });
    const line = result.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    expect(line, result.stderr).toBeDefined();
    expect(JSON.parse(line?.slice(7) ?? "{}")).toEqual({
      downloaded: "\x7fELF binary",
      saved: true,
      matched: "bundled-key",
      restored: "\x7fELF binary",
    });
  });
});
