import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  computeImageTags,
  decidePush,
  type GitflowInput,
  type PushMode,
  parsePushMode,
} from "../../../src/rules/gitflow/index.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

function resultFor(overrides: Partial<GitflowInput>) {
  return computeImageTags({
    eventName: "push",
    ref: "refs/heads/develop",
    sha: SHA,
    defaultBranch: "main",
    runNumber: 1,
    ...overrides,
  });
}

const fork = {
  eventName: "pull_request",
  ref: "refs/pull/42/merge",
  pullRequest: { number: 42, fromFork: true },
};
const sameRepo = { ...fork, pullRequest: { number: 42, fromFork: false } };
const unknownOrigin = { eventName: "pull_request", ref: "refs/pull/42/merge" };

describe("decidePush", () => {
  it.each<[string, Partial<GitflowInput>, PushMode, boolean, string]>([
    ["develop, auto", {}, "auto", true, "push to develop: published"],
    ["develop, false", {}, "false", false, "push: false: built and tested, not published"],
    [
      "feature, auto",
      { ref: "refs/heads/feature/x" },
      "auto",
      false,
      "feature branch: built and tested, not published",
    ],
    ["feature, true", { ref: "refs/heads/feature/x" }, "true", true, "push: true: published (feature build)"],
    ["same-repo PR, auto", sameRepo, "auto", false, "pull request: built and tested, not published"],
    [
      "same-repo PR, true (explicit opt-in)",
      sameRepo,
      "true",
      true,
      "push: true: published (pull-request build)",
    ],
    ["fork PR, auto", fork, "auto", false, "pull request from a fork: not pushed"],
    ["fork PR, false", fork, "false", false, "push: false: built and tested, not published"],
    ["release tag, auto", { ref: "refs/tags/v1.0.0" }, "auto", true, "release tag v1.0.0: published"],
  ])("%s", (_name, overrides, mode, push, reason) => {
    expect(decidePush(mode, resultFor(overrides))).toEqual({ push, reason });
  });

  it.each<[string, Partial<GitflowInput>]>([
    ["a fork pull request", fork],
    ["a pull request of unknown origin", unknownOrigin],
    ["a fork pull_request_target", { ...fork, eventName: "pull_request_target", ref: "refs/heads/main" }],
  ])("push: true on %s is a ConfigurationError that explains why", (_name, overrides) => {
    const result = resultFor(overrides);
    expect(() => decidePush("true", result)).toThrow(ConfigurationError);
    expect(() => decidePush("true", result)).toThrow(
      /secrets are not available to fork pull requests and code from a fork must never be published/,
    );
  });
});

describe("parsePushMode", () => {
  it.each<[string, PushMode]>([
    ["auto", "auto"],
    ["", "auto"],
    [" TRUE ", "true"],
    ["false", "false"],
    ["False", "false"],
  ])("%j → %s", (value, mode) => {
    expect(parsePushMode(value)).toBe(mode);
  });

  it.each(["yes", "1", "always"])("%j is refused", (value) => {
    expect(() => parsePushMode(value)).toThrow(`push: '${value}' is not valid; use auto, true or false`);
  });
});
