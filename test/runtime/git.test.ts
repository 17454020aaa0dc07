import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeGitFailure, gitEnvironment, readGit, runGit } from "../../src/runtime/git.js";

const scratch = mkdtempSync(join(tmpdir(), "goflow-git-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function repository(): string {
  const dir = mkdtempSync(join(scratch, "repo-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "--quiet", "--initial-branch=develop");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "test");
  writeFileSync(join(dir, "a.txt"), "a\n");
  git("add", "a.txt");
  git("commit", "--quiet", "-m", "first");
  git("tag", "v1.2.3");
  return dir;
}

describe("gitEnvironment", () => {
  it("turns prompts off, with or without a token", () => {
    expect(gitEnvironment(undefined)).toEqual({
      GIT_TERMINAL_PROMPT: "0",
      GCM_INTERACTIVE: "never",
      LC_ALL: "C",
    });
  });

  it("passes a token as an http.extraHeader through GIT_CONFIG_*, never as plain text", () => {
    const env = gitEnvironment("s3cret");
    expect(env.GIT_CONFIG_COUNT).toBe("1");
    expect(env.GIT_CONFIG_KEY_0).toBe("http.extraHeader");
    expect(env.GIT_CONFIG_VALUE_0).toBe(
      `Authorization: Basic ${Buffer.from("x-access-token:s3cret").toString("base64")}`,
    );
    expect(Object.values(env).join(" ")).not.toContain("s3cret");
  });
});

describe("runGit and readGit", () => {
  it("reads HEAD's branch, commit and tags of a checkout", async () => {
    const dir = repository();
    expect(await readGit(["symbolic-ref", "--quiet", "HEAD"], { cwd: dir })).toBe("refs/heads/develop");
    expect(await readGit(["rev-parse", "HEAD"], { cwd: dir })).toMatch(/^[0-9a-f]{40}$/);
    const tags = await runGit(["tag", "--list"], { cwd: dir });
    expect(tags.exitCode).toBe(0);
    expect(tags.stdout.trim()).toBe("v1.2.3");
  });

  it("gives the token to git as a configured header: git config sees it, argv does not", async () => {
    const dir = repository();
    const result = await runGit(["config", "--get", "http.extraHeader"], { cwd: dir, token: "s3cret" });
    expect(result.stdout.trim()).toBe(
      `Authorization: Basic ${Buffer.from("x-access-token:s3cret").toString("base64")}`,
    );
    expect(result.args.join(" ")).not.toContain("s3cret");
  });

  it("reads undefined outside a checkout, for a failed command, and for empty output", async () => {
    const outside = mkdtempSync(join(scratch, "plain-"));
    expect(await readGit(["rev-parse", "--show-toplevel"], { cwd: outside })).toBeUndefined();
    const dir = repository();
    expect(
      await readGit(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], { cwd: dir }),
    ).toBeUndefined();
    expect(await readGit(["tag", "--list", "no-such-*"], { cwd: dir })).toBeUndefined();
  });

  it("returns a failed command's result instead of throwing, and describes it in one line", async () => {
    const dir = repository();
    const result = await runGit(["checkout", "no-such-branch"], { cwd: dir });
    expect(result.exitCode).not.toBe(0);
    expect(describeGitFailure(result)).toMatch(/^git checkout failed: .*no-such-branch/);
  });
});

describe("describeGitFailure", () => {
  const result = (stderr: string, stdout = "") => ({
    command: "git",
    args: ["push", "origin", "main"],
    exitCode: 1,
    stdout,
    stderr,
    timedOut: false,
    durationMs: 1,
  });
  it.each([
    [
      "error: failed to push some refs\nhint: Updates were rejected\nhint: pull first\n",
      "error: failed to push some refs",
    ],
    [
      "fatal: Authentication failed for 'https://example.com/x.git/'\n",
      "fatal: Authentication failed for 'https://example.com/x.git/'",
    ],
    ["", "exit code 1"],
  ])("keeps the last line that is not a hint: %j", (stderr, detail) => {
    expect(describeGitFailure(result(stderr))).toBe(`git push failed: ${detail}`);
  });
});
