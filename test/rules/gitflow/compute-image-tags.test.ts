import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  computeImageTags,
  type GitflowInput,
  type GitflowResult,
  type GitflowSettings,
} from "../../../src/rules/gitflow/index.js";

const SHA = "0123456789ABCDEF0123456789abcdef01234567";
const HEAD_SHA = "fedcba9876543210fedcba9876543210fedcba98";
const SHA_TAG = "sha-0123456";
const HEAD_TAG = "sha-fedcba9";

function input(overrides: Partial<GitflowInput> = {}): GitflowInput {
  return {
    eventName: "push",
    ref: "refs/heads/develop",
    sha: SHA,
    defaultBranch: "main",
    runNumber: 57,
    versionTags: [],
    ...overrides,
  };
}

type Expected = Pick<GitflowResult, "channel" | "version" | "tags" | "push">;

describe("computeImageTags: the trigger table", () => {
  it.each<[string, Partial<GitflowInput>, Expected]>([
    [
      "push to develop",
      { ref: "refs/heads/develop" },
      { channel: "develop", version: "develop", tags: ["develop", SHA_TAG], push: true },
    ],
    [
      "tag v1.2.3, the highest release",
      { ref: "refs/tags/v1.2.3", versionTags: ["v1.0.0", "v1.2.2", "v1.2.3"] },
      { channel: "release", version: "1.2.3", tags: ["1.2.3", "1.2", "1", "latest"], push: true },
    ],
    [
      "tag v1.2.3 below an existing v2.0.0",
      { ref: "refs/tags/v1.2.3", versionTags: ["v1.2.3", "v2.0.0"] },
      { channel: "release", version: "1.2.3", tags: ["1.2.3", "1.2", "1"], push: true },
    ],
    [
      "two-part tag v2.0",
      { ref: "refs/tags/v2.0", versionTags: ["v1.9.9"] },
      { channel: "release", version: "2.0", tags: ["2.0", "2", "latest"], push: true },
    ],
    [
      "one-part tag v2",
      { ref: "refs/tags/v2", versionTags: ["v1.9.9", "v2"] },
      { channel: "release", version: "2", tags: ["2", "latest"], push: true },
    ],
    [
      "pre-release tag v2.0.0-rc.1",
      { ref: "refs/tags/v2.0.0-rc.1", versionTags: ["v1.0.0"] },
      { channel: "prerelease", version: "2.0.0-rc.1", tags: ["2.0.0-rc.1"], push: true },
    ],
    [
      "push to release/1.3",
      { ref: "refs/heads/release/1.3" },
      {
        channel: "release-candidate",
        version: "1.3.0-rc.57",
        tags: ["release-1.3", "1.3.0-rc.57", SHA_TAG],
        push: true,
      },
    ],
    [
      "push to hotfix/1.2.4",
      { ref: "refs/heads/hotfix/1.2.4" },
      {
        channel: "hotfix",
        version: "1.2.4-hotfix.57",
        tags: ["hotfix-1.2.4", "1.2.4-hotfix.57", SHA_TAG],
        push: true,
      },
    ],
    [
      "push to main (default main)",
      { ref: "refs/heads/main", defaultBranch: "main" },
      { channel: "main", version: "main", tags: ["main", SHA_TAG], push: true },
    ],
    [
      "push to master (default master)",
      { ref: "refs/heads/master", defaultBranch: "master" },
      { channel: "main", version: "master", tags: ["master", SHA_TAG], push: true },
    ],
    [
      "push to feature/MSP-123",
      { ref: "refs/heads/feature/MSP-123" },
      { channel: "feature", version: "feature-MSP-123", tags: ["feature-MSP-123", SHA_TAG], push: false },
    ],
    [
      "pull_request #42 (tags the head, not the merge commit)",
      {
        eventName: "pull_request",
        ref: "refs/pull/42/merge",
        pullRequest: { number: 42, headSha: HEAD_SHA, fromFork: false },
      },
      { channel: "pull-request", version: "pr-42", tags: ["pr-42", HEAD_TAG], push: false },
    ],
    [
      "any other branch",
      { ref: "refs/heads/bugfix/Login page" },
      { channel: "branch", version: "bugfix-Login-page", tags: ["bugfix-Login-page", SHA_TAG], push: false },
    ],
  ])("%s", (_name, overrides, expected) => {
    expect(computeImageTags(input(overrides))).toMatchObject(expected);
  });
});

describe("computeImageTags: version tags", () => {
  it.each<[string, string, readonly string[], string, string[]]>([
    ["v0.1.2", "refs/tags/v0.1.2", [], "0.1.2", ["0.1.2", "0.1", "0", "latest"]],
    ["upper-case prefix V1.2.3", "refs/tags/V1.2.3", [], "1.2.3", ["1.2.3", "1.2", "1", "latest"]],
    ["no prefix 1.2.3", "refs/tags/1.2.3", ["v1.2.0"], "1.2.3", ["1.2.3", "1.2", "1", "latest"]],
    ["build metadata dropped", "refs/tags/v1.2.3+build.5", [], "1.2.3", ["1.2.3", "1.2", "1", "latest"]],
    ["v2 equals v2.0.0, so still latest", "refs/tags/v2", ["v2.0.0", "v1.5.0"], "2", ["2", "latest"]],
    ["lower than an existing release", "refs/tags/v1.4.9", ["v1.5.0"], "1.4.9", ["1.4.9", "1.4", "1"]],
    ["patch of an old line", "refs/tags/v1.2.10", ["v1.2.9", "v1.3"], "1.2.10", ["1.2.10", "1.2", "1"]],
    [
      "numeric, not string, order",
      "refs/tags/v1.10.0",
      ["v1.9.0"],
      "1.10.0",
      ["1.10.0", "1.10", "1", "latest"],
    ],
    [
      "pre-releases in the list ignored",
      "refs/tags/v1.0.0",
      ["v2.0.0-rc.1"],
      "1.0.0",
      ["1.0.0", "1.0", "1", "latest"],
    ],
    [
      "non-version tags in the list ignored",
      "refs/tags/v1.0.0",
      ["nightly", "v9-beta_x", "refs/tags/v0.9"],
      "1.0.0",
      ["1.0.0", "1.0", "1", "latest"],
    ],
    ["list given as full refs", "refs/tags/v1.0.0", ["refs/tags/v1.1.0"], "1.0.0", ["1.0.0", "1.0", "1"]],
    ["list mixing prefix case", "refs/tags/v1.0.0", ["V1.1.0"], "1.0.0", ["1.0.0", "1.0", "1"]],
    [
      "pre-release with build metadata",
      "refs/tags/v3.0.0-beta.2+exp.sha",
      [],
      "3.0.0-beta.2",
      ["3.0.0-beta.2"],
    ],
    ["two-part pre-release", "refs/tags/v3.1-rc.1", [], "3.1-rc.1", ["3.1-rc.1"]],
  ])("%s", (_name, ref, versionTags, version, tags) => {
    const result = computeImageTags(input({ ref, versionTags }));
    expect(result.version).toBe(version);
    expect(result.tags).toEqual(tags);
    expect(result.push).toBe(true);
  });

  it("a prerelease never gets latest, even with latest: true", () => {
    const result = computeImageTags(input({ ref: "refs/tags/v9.0.0-rc.1", settings: { latest: "true" } }));
    expect(result.tags).toEqual(["9.0.0-rc.1"]);
  });

  it("treats a missing version tag list as empty (this tag is the highest)", () => {
    const { versionTags: _omitted, ...rest } = input({ ref: "refs/tags/v1.0.0" });
    expect(computeImageTags(rest).tags).toContain("latest");
  });

  it.each<[string, string, string]>([
    ["not a version", "refs/tags/nightly", "nightly"],
    ["leading zero", "refs/tags/v01.2.3", "v01.2.3"],
    ["leading-zero numeric pre-release (SemVer §9)", "refs/tags/v1.2.3-0123", "v1.2.3-0123"],
    ["four parts", "refs/tags/v1.2.3.4", "v1.2.3.4"],
    ["odd characters", "refs/tags/deploy/prod 1", "deploy-prod-1"],
  ])("a tag that is %s is built like any other branch", (_name, ref, tag) => {
    expect(computeImageTags(input({ ref }))).toMatchObject({
      channel: "branch",
      version: tag,
      tags: [tag, SHA_TAG],
      push: false,
    });
  });
});

describe("computeImageTags: branches", () => {
  it.each<[string, string, Expected]>([
    [
      "nested feature branch",
      "refs/heads/feature/a/b",
      { channel: "feature", version: "feature-a-b", tags: ["feature-a-b", SHA_TAG], push: false },
    ],
    [
      "feature branch with odd characters",
      "refs/heads/feature/ümlaut weird!!name",
      {
        channel: "feature",
        version: "feature-mlaut-weird-name",
        tags: ["feature-mlaut-weird-name", SHA_TAG],
        push: false,
      },
    ],
    [
      "leading dashes",
      "refs/heads/--lead",
      { channel: "branch", version: "lead", tags: ["lead", SHA_TAG], push: false },
    ],
    [
      "leading dot",
      "refs/heads/.hidden",
      { channel: "branch", version: "hidden", tags: ["hidden", SHA_TAG], push: false },
    ],
    [
      "release branch with a one-part version",
      "refs/heads/release/2",
      {
        channel: "release-candidate",
        version: "2.0.0-rc.57",
        tags: ["release-2", "2.0.0-rc.57", SHA_TAG],
        push: true,
      },
    ],
    [
      "release branch with a prefixed version",
      "refs/heads/release/v1.4.0",
      {
        channel: "release-candidate",
        version: "1.4.0-rc.57",
        tags: ["release-v1.4.0", "1.4.0-rc.57", SHA_TAG],
        push: true,
      },
    ],
    [
      // Fallback: still a release branch (published), versioned by its sanitised name.
      "release branch without a version",
      "refs/heads/release/next",
      { channel: "release-candidate", version: "release-next", tags: ["release-next", SHA_TAG], push: true },
    ],
    [
      "release branch with a pre-release in its name",
      "refs/heads/release/2.0.0-beta",
      {
        channel: "release-candidate",
        version: "release-2.0.0-beta",
        tags: ["release-2.0.0-beta", SHA_TAG],
        push: true,
      },
    ],
    [
      "hotfix branch without a version",
      "refs/heads/hotfix/login-crash",
      { channel: "hotfix", version: "hotfix-login-crash", tags: ["hotfix-login-crash", SHA_TAG], push: true },
    ],
    [
      "support branch (published only through its version tags)",
      "refs/heads/support/1.x",
      { channel: "support", version: "support-1.x", tags: ["support-1.x", SHA_TAG], push: false },
    ],
    [
      "main when the default branch is master",
      "refs/heads/main",
      { channel: "branch", version: "main", tags: ["main", SHA_TAG], push: false },
    ],
    [
      "bare branch name (no refs/ prefix)",
      "develop",
      { channel: "develop", version: "develop", tags: ["develop", SHA_TAG], push: true },
    ],
  ])("%s", (_name, ref, expected) => {
    expect(computeImageTags(input({ ref, defaultBranch: "master" }))).toMatchObject(expected);
  });

  it("master is any other branch when the default branch is main", () => {
    expect(computeImageTags(input({ ref: "refs/heads/master", defaultBranch: "main" }))).toMatchObject({
      channel: "branch",
      push: false,
    });
  });

  it.each(["main", "master"])("%s is main when the default branch is develop", (branch) => {
    expect(computeImageTags(input({ ref: `refs/heads/${branch}`, defaultBranch: "develop" }))).toMatchObject({
      channel: "main",
      version: branch,
      push: true,
    });
  });

  it("develop stays develop when it is also the default branch", () => {
    expect(computeImageTags(input({ ref: "refs/heads/develop", defaultBranch: "develop" })).channel).toBe(
      "develop",
    );
  });

  it("two long branches sharing their first 128 characters get different tags of at most 128", () => {
    const stem = `feature/${"x".repeat(140)}`;
    const a = computeImageTags(input({ ref: `refs/heads/${stem}-one` }));
    const b = computeImageTags(input({ ref: `refs/heads/${stem}-two` }));
    expect(a.version).not.toBe(b.version);
    expect(a.version.length).toBeLessThanOrEqual(128);
    expect(b.version.length).toBeLessThanOrEqual(128);
    expect(a.tags[0]).toBe(a.version);
  });

  it("the sha tag is lower-cased and 7 characters", () => {
    expect(computeImageTags(input({ sha: "ABCDEF1234567890" })).tags).toContain("sha-abcdef1");
  });
});

describe("computeImageTags: events and refs", () => {
  const pullRequest = { number: 42, headSha: HEAD_SHA, fromFork: false };

  it.each<[string, Partial<GitflowInput>, Expected]>([
    [
      "workflow_dispatch on develop",
      { eventName: "workflow_dispatch", ref: "refs/heads/develop" },
      { channel: "develop", version: "develop", tags: ["develop", SHA_TAG], push: true },
    ],
    [
      "workflow_dispatch on a tag",
      { eventName: "workflow_dispatch", ref: "refs/tags/v1.0.0" },
      { channel: "release", version: "1.0.0", tags: ["1.0.0", "1.0", "1", "latest"], push: true },
    ],
    [
      "schedule on main",
      { eventName: "schedule", ref: "refs/heads/main" },
      { channel: "main", version: "main", tags: ["main", SHA_TAG], push: true },
    ],
    [
      "release event on a tag",
      { eventName: "release", ref: "refs/tags/v1.0.0-rc.2" },
      { channel: "prerelease", version: "1.0.0-rc.2", tags: ["1.0.0-rc.2"], push: true },
    ],
    [
      "pull_request_target: ref is the base branch, number from the payload",
      { eventName: "pull_request_target", ref: "refs/heads/main", pullRequest },
      { channel: "pull-request", version: "pr-42", tags: ["pr-42", HEAD_TAG], push: false },
    ],
    [
      "pull_request on refs/pull/42/head",
      { eventName: "pull_request", ref: "refs/pull/42/head", pullRequest },
      { channel: "pull-request", version: "pr-42", tags: ["pr-42", HEAD_TAG], push: false },
    ],
    [
      "pull request without a head sha falls back to the event sha",
      { eventName: "pull_request", ref: "refs/pull/7/merge", pullRequest: { number: 7, fromFork: false } },
      { channel: "pull-request", version: "pr-7", tags: ["pr-7", SHA_TAG], push: false },
    ],
    [
      "pull request number taken from the ref when no payload is given",
      { eventName: "pull_request", ref: "refs/pull/9/merge" },
      { channel: "pull-request", version: "pr-9", tags: ["pr-9", SHA_TAG], push: false },
    ],
    [
      "a pull ref under another event is still a pull request",
      { eventName: "workflow_dispatch", ref: "refs/pull/5/merge" },
      { channel: "pull-request", version: "pr-5", tags: ["pr-5", SHA_TAG], push: false },
    ],
  ])("%s", (_name, overrides, expected) => {
    expect(computeImageTags(input(overrides))).toMatchObject(expected);
  });

  it.each<[string, Partial<GitflowInput>, string, boolean]>([
    ["push to develop", {}, "push to develop: published", false],
    [
      "workflow_dispatch on develop",
      { eventName: "workflow_dispatch" },
      "workflow_dispatch on develop: published",
      false,
    ],
    [
      "feature branch",
      { ref: "refs/heads/feature/x" },
      "feature branch: built and tested, not published",
      false,
    ],
    [
      "same-repository pull request",
      { eventName: "pull_request", ref: "refs/pull/1/merge", pullRequest: { number: 1, fromFork: false } },
      "pull request: built and tested, not published",
      false,
    ],
    [
      "fork pull request",
      { eventName: "pull_request", ref: "refs/pull/1/merge", pullRequest: { number: 1, fromFork: true } },
      "pull request from a fork: not pushed",
      true,
    ],
    [
      "pull request of unknown origin (fails closed)",
      { eventName: "pull_request", ref: "refs/pull/1/merge" },
      "pull request (fork status not given, treated as from a fork): not pushed",
      true,
    ],
    ["release tag", { ref: "refs/tags/v1.0.0" }, "release tag v1.0.0: published", false],
    [
      "release branch",
      { ref: "refs/heads/release/1.3" },
      "release branch: published as release candidate 1.3.0-rc.57",
      false,
    ],
    [
      "other branch",
      { ref: "refs/heads/spike" },
      "branch 'spike' is not a git-flow branch: built and tested, not published",
      false,
    ],
  ])("reason for %s", (_name, overrides, reason, fromFork) => {
    const result = computeImageTags(input(overrides));
    expect(result.reason).toBe(reason);
    expect(result.fromFork).toBe(fromFork);
  });

  it.each<[string, Partial<GitflowInput>, RegExp]>([
    ["empty event name", { eventName: "" }, /event name is empty/],
    ["empty ref", { ref: "" }, /ref is empty/],
    ["unsupported ref namespace", { ref: "refs/remotes/origin/x" }, /not supported.*refs\/heads/],
    ["ref with no name", { ref: "refs/heads/" }, /no name after 'refs\/heads\/'/],
    ["pull_request_target without a number", { eventName: "pull_request_target" }, /no pull request number/],
    [
      "pull request number zero",
      { eventName: "pull_request", pullRequest: { number: 0, fromFork: false } },
      /pull request number 0/,
    ],
    ["sha that is not hex", { sha: "not-a-sha" }, /commit sha 'not-a-sha'/],
    ["sha too short", { sha: "abc" }, /at least 7 hex/],
    [
      "run number missing on a release branch",
      { ref: "refs/heads/release/1.0", runNumber: 0 },
      /run number 0/,
    ],
    ["branch with no usable characters", { ref: "refs/heads/!!!" }, /branch '!!!' has no characters/],
    ["empty default branch and no main-branch", { defaultBranch: "" }, /set main-branch/],
  ])("throws a ConfigurationError for %s", (_name, overrides, message) => {
    expect(() => computeImageTags(input(overrides))).toThrow(ConfigurationError);
    expect(() => computeImageTags(input(overrides))).toThrow(message);
  });
});

describe("computeImageTags: settings", () => {
  const renamed: Partial<GitflowSettings> = {
    developBranch: "dev",
    mainBranch: "production",
    featurePrefix: "feat-",
    releasePrefix: "rel/",
    hotfixPrefix: "fix/",
    supportPrefix: "lts/",
    versionTagPrefix: "release-",
  };

  it.each<[string, string, Expected]>([
    [
      "renamed develop",
      "refs/heads/dev",
      { channel: "develop", version: "dev", tags: ["dev", SHA_TAG], push: true },
    ],
    [
      "old develop name is any other branch",
      "refs/heads/develop",
      { channel: "branch", version: "develop", tags: ["develop", SHA_TAG], push: false },
    ],
    [
      "renamed main",
      "refs/heads/production",
      { channel: "main", version: "production", tags: ["production", SHA_TAG], push: true },
    ],
    [
      "the default branch is not main when main-branch is set",
      "refs/heads/main",
      { channel: "branch", version: "main", tags: ["main", SHA_TAG], push: false },
    ],
    [
      "renamed feature prefix",
      "refs/heads/feat-login",
      { channel: "feature", version: "feat-login", tags: ["feat-login", SHA_TAG], push: false },
    ],
    [
      "renamed release prefix with the custom version prefix",
      "refs/heads/rel/release-1.3",
      {
        channel: "release-candidate",
        version: "1.3.0-rc.57",
        tags: ["rel-release-1.3", "1.3.0-rc.57", SHA_TAG],
        push: true,
      },
    ],
    [
      "renamed hotfix prefix",
      "refs/heads/fix/1.2.4",
      {
        channel: "hotfix",
        version: "1.2.4-hotfix.57",
        tags: ["fix-1.2.4", "1.2.4-hotfix.57", SHA_TAG],
        push: true,
      },
    ],
    [
      "renamed support prefix",
      "refs/heads/lts/1",
      { channel: "support", version: "lts-1", tags: ["lts-1", SHA_TAG], push: false },
    ],
    [
      "custom version tag prefix",
      "refs/tags/release-1.2.3",
      { channel: "release", version: "1.2.3", tags: ["1.2.3", "1.2", "1", "latest"], push: true },
    ],
    [
      "old feature prefix is any other branch",
      "refs/heads/feature/x",
      { channel: "branch", version: "feature-x", tags: ["feature-x", SHA_TAG], push: false },
    ],
  ])("%s", (_name, ref, expected) => {
    expect(computeImageTags(input({ ref, settings: renamed }))).toMatchObject(expected);
  });

  it("matches the longest prefix when one prefix starts another", () => {
    const settings = { releasePrefix: "rel/", hotfixPrefix: "rel/fix/" };
    expect(computeImageTags(input({ ref: "refs/heads/rel/fix/1.0.1", settings })).channel).toBe("hotfix");
    expect(computeImageTags(input({ ref: "refs/heads/rel/1.1", settings })).channel).toBe(
      "release-candidate",
    );
  });

  it("an empty version tag prefix reads bare versions", () => {
    const result = computeImageTags(input({ ref: "refs/tags/1.2.3", settings: { versionTagPrefix: "" } }));
    expect(result.tags).toEqual(["1.2.3", "1.2", "1", "latest"]);
  });

  it("undefined settings keep their defaults", () => {
    const result = computeImageTags(
      input({ ref: "refs/heads/develop", settings: { developBranch: undefined, mainBranch: "" } }),
    );
    expect(result.channel).toBe("develop");
  });

  it.each<[string, string, string, string[]]>([
    ["release tag", "refs/tags/V1.2.3", "v1.2.3", ["v1.2.3", "v1.2", "v1", "latest"]],
    ["two-part release tag", "refs/tags/v2.0", "v2.0", ["v2.0", "v2", "latest"]],
    ["pre-release tag", "refs/tags/v2.0.0-rc.1", "v2.0.0-rc.1", ["v2.0.0-rc.1"]],
    ["release branch", "refs/heads/release/1.3", "v1.3.0-rc.57", ["release-1.3", "v1.3.0-rc.57", SHA_TAG]],
    [
      "hotfix branch",
      "refs/heads/hotfix/1.2.4",
      "v1.2.4-hotfix.57",
      ["hotfix-1.2.4", "v1.2.4-hotfix.57", SHA_TAG],
    ],
    ["develop (no version, unchanged)", "refs/heads/develop", "develop", ["develop", SHA_TAG]],
  ])("keep-version-prefix on a %s", (_name, ref, version, tags) => {
    const result = computeImageTags(input({ ref, settings: { keepVersionPrefix: true } }));
    expect(result.version).toBe(version);
    expect(result.tags).toEqual(tags);
  });

  it.each<[string, readonly string[], string, string[]]>([
    [
      "appended and sanitised",
      ["stable", "team/go auth"],
      "refs/heads/develop",
      ["develop", SHA_TAG, "stable", "team-go-auth"],
    ],
    [
      "deduplicated against computed tags",
      ["latest", "develop", "latest"],
      "refs/tags/v1.0.0",
      ["1.0.0", "1.0", "1", "latest", "develop"],
    ],
    ["blank entries ignored", ["", "  ", " edge "], "refs/heads/develop", ["develop", SHA_TAG, "edge"]],
    ["added to pull requests too", ["ci"], "refs/pull/3/merge", ["pr-3", SHA_TAG, "ci"]],
  ])("extra-tags %s", (_name, extraTags, ref, tags) => {
    expect(computeImageTags(input({ ref, settings: { extraTags } })).tags).toEqual(tags);
  });

  it("an extra tag with no usable characters is an error", () => {
    expect(() => computeImageTags(input({ settings: { extraTags: ["///"] } }))).toThrow(
      /extra tag '\/\/\/' has no characters/,
    );
  });

  it.each<[string, GitflowSettings["latest"], readonly string[], boolean]>([
    ["auto, highest", "auto", ["v1.0.0"], true],
    ["auto, lower", "auto", ["v3.0.0"], false],
    ["false, highest", "false", [], false],
    ["true, lower", "true", ["v3.0.0"], true],
  ])("latest: %s", (_name, latest, versionTags, expected) => {
    const result = computeImageTags(input({ ref: "refs/tags/v2.0.0", versionTags, settings: { latest } }));
    expect(result.tags.includes("latest")).toBe(expected);
  });

  it("latest: true does not tag branches", () => {
    expect(computeImageTags(input({ settings: { latest: "true" } })).tags).not.toContain("latest");
  });

  it("a kept prefix that is not tag-safe is reported", () => {
    expect(() =>
      computeImageTags(
        input({
          ref: "refs/tags/rel/1.0.0",
          settings: { versionTagPrefix: "rel/", keepVersionPrefix: true },
        }),
      ),
    ).toThrow(/'rel\/1\.0\.0' is not a valid image tag/);
  });
});
