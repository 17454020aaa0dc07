import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  defaultGitflowSettings,
  type GitflowSettings,
  type LatestMode,
  type ParsedRef,
  parseLatestMode,
  parseRef,
  resolveGitflowSettings,
} from "../../../src/rules/gitflow/index.js";

describe("resolveGitflowSettings", () => {
  it("defaults to git flow init's layout with main = the default branch", () => {
    expect(resolveGitflowSettings(undefined, "main")).toEqual({
      developBranch: "develop",
      featurePrefix: "feature/",
      releasePrefix: "release/",
      hotfixPrefix: "hotfix/",
      supportPrefix: "support/",
      versionTagPrefix: "v",
      keepVersionPrefix: false,
      extraTags: [],
      latest: "auto",
      mainBranches: ["main"],
    });
    expect(defaultGitflowSettings.mainBranch).toBeUndefined();
  });

  it.each<[string, Partial<GitflowSettings> | undefined, string, string[]]>([
    ["default branch main", undefined, "main", ["main"]],
    ["default branch master", undefined, "master", ["master"]],
    ["default branch is develop: both conventional names", undefined, "develop", ["main", "master"]],
    ["explicit main-branch wins", { mainBranch: "production" }, "main", ["production"]],
    ["empty main-branch means the default branch", { mainBranch: "" }, "trunk", ["trunk"]],
    ["explicit main-branch with an unknown default", { mainBranch: "main" }, "", ["main"]],
    ["develop named main and default main", { developBranch: "main" }, "main", ["master"]],
  ])("main branches: %s", (_name, settings, defaultBranch, mainBranches) => {
    expect(resolveGitflowSettings(settings, defaultBranch).mainBranches).toEqual(mainBranches);
  });

  it.each<[string, Partial<GitflowSettings>, string]>([
    ["empty develop-branch", { developBranch: "" }, "develop-branch is empty"],
    ["empty feature-prefix", { featurePrefix: " " }, "feature-prefix is empty"],
    ["empty release-prefix", { releasePrefix: "" }, "release-prefix is empty"],
    ["empty hotfix-prefix", { hotfixPrefix: "" }, "hotfix-prefix is empty"],
    ["empty support-prefix", { supportPrefix: "" }, "support-prefix is empty"],
    [
      "shared prefix",
      { featurePrefix: "x/", supportPrefix: "x/" },
      "feature-prefix and support-prefix are both 'x/'",
    ],
    ["main equals develop", { mainBranch: "develop" }, "main-branch and develop-branch are both 'develop'"],
    ["unknown latest mode", { latest: "sometimes" as LatestMode }, "latest: 'sometimes' is not valid"],
  ])("refuses %s", (_name, settings, message) => {
    expect(() => resolveGitflowSettings(settings, "main")).toThrow(ConfigurationError);
    expect(() => resolveGitflowSettings(settings, "main")).toThrow(message);
  });
});

describe("parseLatestMode", () => {
  it.each<[string, LatestMode]>([
    ["auto", "auto"],
    ["", "auto"],
    ["TRUE", "true"],
    [" false ", "false"],
  ])("%j → %s", (value, mode) => {
    expect(parseLatestMode(value)).toBe(mode);
  });

  it("refuses anything else", () => {
    expect(() => parseLatestMode("off")).toThrow("latest: 'off' is not valid; use auto, true or false");
  });
});

describe("parseRef", () => {
  it.each<[string, ParsedRef]>([
    ["refs/heads/develop", { kind: "branch", name: "develop" }],
    ["refs/heads/feature/a/b", { kind: "branch", name: "feature/a/b" }],
    ["refs/tags/v1.2.3", { kind: "tag", name: "v1.2.3" }],
    ["refs/tags/refs/heads/x", { kind: "tag", name: "refs/heads/x" }],
    ["refs/pull/42/merge", { kind: "pull", number: 42 }],
    ["refs/pull/42/head", { kind: "pull", number: 42 }],
    ["develop", { kind: "branch", name: "develop" }],
  ])("%s", (ref, expected) => {
    expect(parseRef(ref)).toEqual(expected);
  });

  it.each(["", "refs/heads/", "refs/tags/", "refs/pull/x/merge", "refs/notes/commits", "refs/pull/42"])(
    "refuses %j",
    (ref) => {
      expect(() => parseRef(ref)).toThrow(ConfigurationError);
    },
  );
});
