import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildLocalRunContext,
  LOCAL_REF,
  NO_COMMIT_SHA,
  parseRemoteUrl,
} from "../../src/cli/local-context.js";

describe("parseRemoteUrl", () => {
  it.each<[string, ReturnType<typeof parseRemoteUrl>]>([
    ["git@github.com:acme/go-auth.git", { serverUrl: "https://github.com", repository: "acme/go-auth" }],
    ["https://github.com/acme/go-auth.git", { serverUrl: "https://github.com", repository: "acme/go-auth" }],
    [
      "https://token@github.com/acme/go-auth",
      { serverUrl: "https://github.com", repository: "acme/go-auth" },
    ],
    [
      "ssh://git@git.example.com:2222/platform/auth.git",
      { serverUrl: "https://git.example.com", repository: "platform/auth" },
    ],
    ["/srv/git/auth.git", undefined],
    ["https://github.com/no-owner", undefined],
  ])("%s", (url, expected) => {
    expect(parseRemoteUrl(url)).toEqual(expected);
  });
});

describe("buildLocalRunContext", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "goflow-local-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const gitIn =
    (repo: string) =>
    (...args: string[]) =>
      execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        encoding: "utf8",
      }).trim();

  it("outside a checkout: a local branch that is never published, an all-zero sha", async () => {
    const dir = tempDir();
    const context = await buildLocalRunContext(dir);
    expect(context).toMatchObject({
      eventName: "push",
      ref: LOCAL_REF,
      sha: NO_COMMIT_SHA,
      repository: `local/${dir.split("/").pop()}`,
      defaultBranch: "main",
      runNumber: 0,
      workspace: dir,
      pullRequest: undefined,
    });
  });

  it("in a checkout: HEAD's branch and commit, origin's repository and default branch", async () => {
    const repo = tempDir();
    const git = gitIn(repo);
    git("init", "-q", "-b", "develop");
    writeFileSync(join(repo, "a"), "a");
    git("add", "a");
    git("commit", "-qm", "a");
    git("remote", "add", "origin", "git@github.com:acme/go-auth.git");
    git("update-ref", "refs/remotes/origin/trunk", "HEAD");
    git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk");
    mkdirSync(join(repo, "svc"));
    const context = await buildLocalRunContext(join(repo, "svc"), { runNumber: 3 });
    expect(context).toMatchObject({
      ref: "refs/heads/develop",
      sha: git("rev-parse", "HEAD"),
      repository: "acme/go-auth",
      serverUrl: "https://github.com",
      defaultBranch: "trunk",
      runNumber: 3,
      workspace: repo,
    });
  });

  it("on a detached HEAD at a tag: the tag; overrides win", async () => {
    const repo = tempDir();
    const git = gitIn(repo);
    git("init", "-q", "-b", "main");
    writeFileSync(join(repo, "a"), "a");
    git("add", "a");
    git("commit", "-qm", "a");
    git("tag", "v1.2.3");
    git("checkout", "-q", "--detach", "v1.2.3");
    expect((await buildLocalRunContext(repo)).ref).toBe("refs/tags/v1.2.3");
    const overridden = await buildLocalRunContext(repo, { ref: "refs/heads/release/1.3", sha: "abcdef0" });
    expect([overridden.ref, overridden.sha]).toEqual(["refs/heads/release/1.3", "abcdef0"]);
  });
});
