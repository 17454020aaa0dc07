import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import { readGitHubRunContext } from "../../src/runtime/run-context.js";

const folder = mkdtempSync(join(tmpdir(), "goflow-run-context-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let events = 0;
function contextFor(payload: unknown, env: NodeJS.ProcessEnv = {}) {
  const path = join(folder, `event-${++events}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return readGitHubRunContext({
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_REPOSITORY: "acme/app",
    GITHUB_EVENT_PATH: path,
    GITHUB_SHA: "merge-sha",
    ...env,
  });
}

const pullRequest = (repo: unknown) => ({
  pull_request: { number: 42, head: { sha: "head-sha", ref: "feature/x", repo } },
  repository: { full_name: "acme/app", default_branch: "main" },
});

// Whether a pull request's code comes from a fork decides whether it may publish or see secrets.
describe("readGitHubRunContext: fork detection", () => {
  it.each<[string, unknown, boolean]>([
    ["a branch of the repository itself", { full_name: "acme/app", fork: false }, false],
    ["another user's fork", { full_name: "mallory/app", fork: true }, true],
    ["another repository that does not say it is a fork", { full_name: "mallory/app", fork: false }, true],
    [
      "a head repository flagged fork under the same name (the safe side)",
      { full_name: "acme/app", fork: true },
      true,
    ],
    ["a deleted fork (no head repository)", null, true],
    ["a head repository without a name, same repository assumed", { fork: false }, false],
  ])("%s → isFork %s", (_name, repo, isFork) => {
    const context = contextFor(pullRequest(repo));
    expect(context.pullRequest).toEqual({ number: 42, headSha: "head-sha", headRef: "feature/x", isFork });
  });

  it("a push has no pull request", () => {
    const context = contextFor({ repository: { full_name: "acme/app" } }, { GITHUB_EVENT_NAME: "push" });
    expect(context.pullRequest).toBeUndefined();
  });

  it("takes the head sha and ref from the environment when the payload lacks them", () => {
    const context = contextFor(
      { pull_request: { number: 7, head: { repo: { full_name: "acme/app" } } } },
      {
        GITHUB_HEAD_REF: "feature/y",
      },
    );
    expect(context.pullRequest).toEqual({
      number: 7,
      headSha: "merge-sha",
      headRef: "feature/y",
      isFork: false,
    });
  });
});

describe("readGitHubRunContext: the rest of the run", () => {
  it("reads the runner's variables and the payload's repository facts", () => {
    const context = contextFor(
      {
        repository: {
          full_name: "acme/app",
          default_branch: "trunk",
          description: "d",
          license: { spdx_id: "MIT" },
        },
      },
      {
        GITHUB_EVENT_NAME: "push",
        GITHUB_REF: "refs/heads/develop",
        GITHUB_RUN_ID: "99",
        GITHUB_RUN_NUMBER: "12",
        GITHUB_RUN_ATTEMPT: "2",
        GITHUB_JOB: "build",
        GITHUB_WORKSPACE: "/w",
        RUNNER_TEMP: "/t",
        GITHUB_SERVER_URL: "https://ghe.example.com",
      },
    );
    expect(context).toMatchObject({
      eventName: "push",
      ref: "refs/heads/develop",
      repository: "acme/app",
      serverUrl: "https://ghe.example.com",
      defaultBranch: "trunk",
      runId: "99",
      runNumber: 12,
      runAttempt: 2,
      job: "build",
      workspace: "/w",
      tempDir: "/t",
      repositoryDescription: "d",
      repositoryLicense: "MIT",
    });
  });

  it("a payload it cannot read is a ConfigurationError naming the variable", () => {
    expect(() => readGitHubRunContext({ GITHUB_EVENT_PATH: join(folder, "missing.json") })).toThrow(
      ConfigurationError,
    );
    expect(() => readGitHubRunContext({ GITHUB_EVENT_PATH: join(folder, "missing.json") })).toThrow(
      /GITHUB_EVENT_PATH=.*missing\.json/,
    );
  });
});
