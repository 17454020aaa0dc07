import { ConfigurationError } from "../../errors.js";
import { assertImageTag, sanitizeExtraTags, sanitizeTag } from "./image-tag.js";
import { parseRef } from "./ref.js";
import { type GitflowSettings, type ResolvedGitflowSettings, resolveGitflowSettings } from "./settings.js";
import {
  compareVersions,
  formatVersion,
  listFloatingVersions,
  type ParsedVersion,
  padVersionParts,
  parseVersionTag,
} from "./version-tag.js";

export type Channel =
  | "develop"
  | "main"
  | "release"
  | "prerelease"
  | "release-candidate"
  | "hotfix"
  | "feature"
  | "support"
  | "pull-request"
  | "branch";

export interface PullRequestInfo {
  number: number;
  /** The PR head commit; the event sha of a pull_request run is a merge commit nobody can check out later. */
  headSha?: string;
  fromFork: boolean;
}

export interface GitflowInput {
  /** GITHUB_EVENT_NAME: push, pull_request, pull_request_target, workflow_dispatch, schedule, … */
  eventName: string;
  /** GITHUB_REF: refs/heads/x, refs/tags/x or refs/pull/42/merge (a bare name is a branch). */
  ref: string;
  /** GITHUB_SHA */
  sha: string;
  /** From the event payload; without it a pull request's number comes from the ref and it counts as a fork. */
  pullRequest?: PullRequestInfo;
  defaultBranch: string;
  /** GITHUB_RUN_NUMBER, which numbers release candidates and hotfix builds. */
  runNumber: number;
  /** The repository's tag names (or refs/tags/… refs), for deciding `latest`. */
  versionTags?: readonly string[];
  settings?: Partial<GitflowSettings>;
}

export interface GitflowResult {
  channel: Channel;
  version: string;
  /** Bare tags (`1.2.3`), deduplicated, in order of importance. */
  tags: string[];
  /** The decision for `push: auto`. */
  push: boolean;
  /** Why `push` is what it is, for the log and the job summary. */
  reason: string;
  /** True for a pull request from a fork (or one whose origin was not given). */
  fromFork: boolean;
}

type Plan = Omit<GitflowResult, "tags" | "fromFork"> & { tags: string[]; fromFork?: boolean };

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);

/**
 * The git-flow rules: which channel a build is on, its version, its image
 * tags and whether `push: auto` publishes it. Every other event (push,
 * workflow_dispatch, schedule, release, …) is treated as a push of its ref.
 */
export function computeImageTags(input: GitflowInput): GitflowResult {
  if (input.eventName.trim() === "") {
    throw new ConfigurationError("event name is empty; pass GITHUB_EVENT_NAME (e.g. push)");
  }
  const settings = resolveGitflowSettings(input.settings, input.defaultBranch);
  const ref = parseRef(input.ref);

  let plan: Plan;
  if (PULL_REQUEST_EVENTS.has(input.eventName) || ref.kind === "pull") {
    plan = planPullRequest(input, ref.kind === "pull" ? ref.number : undefined);
  } else if (ref.kind === "tag") {
    plan = planTag(ref.name, input, settings);
  } else {
    plan = planBranch(ref.name, input, settings);
  }

  const extraTags = sanitizeExtraTags(settings.extraTags);
  const tags = [...new Set([...plan.tags, ...extraTags])];
  for (const tag of tags) assertImageTag(tag);
  return { ...plan, tags, fromFork: plan.fromFork ?? false };
}

function planPullRequest(input: GitflowInput, refNumber: number | undefined): Plan {
  const number = input.pullRequest?.number ?? refNumber;
  if (number === undefined) {
    throw new ConfigurationError(
      `${input.eventName} run on '${input.ref}' has no pull request number; pass the pull request from the event payload`,
    );
  }
  if (!Number.isSafeInteger(number) || number <= 0) {
    throw new ConfigurationError(`pull request number ${number} is not valid; pass a positive whole number`);
  }
  // The head commit is what the PR author pushed; the event sha is a temporary merge commit.
  const headSha = input.pullRequest?.headSha || input.sha;
  // Unknown origin fails closed: it is treated as a fork so nothing gets published.
  const fromFork = input.pullRequest?.fromFork ?? true;
  const reason =
    input.pullRequest === undefined
      ? "pull request (fork status not given, treated as from a fork): not pushed"
      : fromFork
        ? "pull request from a fork: not pushed"
        : "pull request: built and tested, not published";
  const version = `pr-${number}`;
  return {
    channel: "pull-request",
    version,
    tags: [version, formatShaTag(headSha)],
    push: false,
    reason,
    fromFork,
  };
}

function planTag(name: string, input: GitflowInput, settings: ResolvedGitflowSettings): Plan {
  const version = parseVersionTag(name, settings.versionTagPrefix);
  if (version === undefined) {
    // A tag like `nightly` is no release: build and test it like any other branch.
    const tag = sanitizeTag(name, "tag");
    return {
      channel: "branch",
      version: tag,
      tags: [tag, formatShaTag(input.sha)],
      push: false,
      reason: `tag '${name}' is not a version tag: built and tested, not published`,
    };
  }
  const withPrefix = (text: string): string =>
    settings.keepVersionPrefix ? `${settings.versionTagPrefix}${text}` : text;

  if (version.prerelease !== undefined) {
    // Pre-releases move no floating tag: `2` must not point at an rc.
    const tag = withPrefix(formatVersion(version));
    return {
      channel: "prerelease",
      version: tag,
      tags: [tag],
      push: true,
      reason: `pre-release tag ${name}: published`,
    };
  }
  const tags = listFloatingVersions(version).map(withPrefix);
  if (shouldTagLatest(version, input, settings)) tags.push("latest");
  return {
    channel: "release",
    version: withPrefix(formatVersion(version)),
    tags,
    push: true,
    reason: `release tag ${name}: published`,
  };
}

function shouldTagLatest(
  version: ParsedVersion,
  input: GitflowInput,
  settings: ResolvedGitflowSettings,
): boolean {
  if (settings.latest !== "auto") return settings.latest === "true";
  // Only stable versions compete; pre-releases and non-version tags are ignored.
  // An empty list makes this tag the highest.
  return (input.versionTags ?? []).every((name) => {
    const other = parseVersionTag(name.replace(/^refs\/tags\//, ""), settings.versionTagPrefix);
    return other === undefined || other.prerelease !== undefined || compareVersions(version, other) >= 0;
  });
}

type BranchKind = "feature" | "release" | "hotfix" | "support";

function planBranch(name: string, input: GitflowInput, settings: ResolvedGitflowSettings): Plan {
  const tag = sanitizeTag(name, "branch");
  const trigger = input.eventName === "push" ? `push to ${name}` : `${input.eventName} on ${name}`;

  if (name === settings.developBranch) {
    return {
      channel: "develop",
      version: tag,
      tags: [tag, formatShaTag(input.sha)],
      push: true,
      reason: `${trigger}: published`,
    };
  }
  if (settings.mainBranches.includes(name)) {
    return {
      channel: "main",
      version: tag,
      tags: [tag, formatShaTag(input.sha)],
      push: true,
      reason: `${trigger}: published`,
    };
  }

  const prefixes: [string, BranchKind][] = [
    [settings.featurePrefix, "feature"],
    [settings.releasePrefix, "release"],
    [settings.hotfixPrefix, "hotfix"],
    [settings.supportPrefix, "support"],
  ];
  // Longest first, so a prefix that starts another one (`rel/` and `rel/hot/`) cannot shadow it.
  prefixes.sort(([a], [b]) => b.length - a.length);
  const match = prefixes.find(([prefix]) => name.startsWith(prefix));
  if (match === undefined) {
    return {
      channel: "branch",
      version: tag,
      tags: [tag, formatShaTag(input.sha)],
      push: false,
      reason: `branch '${name}' is not a git-flow branch: built and tested, not published`,
    };
  }

  const [prefix, kind] = match;
  switch (kind) {
    case "feature":
      return {
        channel: "feature",
        version: tag,
        tags: [tag, formatShaTag(input.sha)],
        push: false,
        reason: "feature branch: built and tested, not published",
      };
    case "support":
      // Support lines are published through their version tags (v1.4.7); a
      // floating `support-1.x` image per commit is something nobody pins to.
      return {
        channel: "support",
        version: tag,
        tags: [tag, formatShaTag(input.sha)],
        push: false,
        reason: "support branch: built and tested, not published (releases come from its version tags)",
      };
    case "release":
    case "hotfix":
      return planReleaseBranch(kind, name.slice(prefix.length), tag, input, settings);
  }
}

/**
 * `release/1.3` → `1.3.0-rc.<run>` and `hotfix/1.2.4` → `1.2.4-hotfix.<run>`.
 * A name that is not a plain version (`release/next`) still is a release
 * branch, so it is still published on its channel, but its version is the
 * sanitised branch name since there is no number to build a semver from.
 */
function planReleaseBranch(
  kind: "release" | "hotfix",
  rest: string,
  tag: string,
  input: GitflowInput,
  settings: ResolvedGitflowSettings,
): Plan {
  const channel = kind === "release" ? "release-candidate" : "hotfix";
  const parsed = parseVersionTag(rest, settings.versionTagPrefix);
  if (parsed === undefined || parsed.prerelease !== undefined || parsed.build !== undefined) {
    return {
      channel,
      version: tag,
      tags: [tag, formatShaTag(input.sha)],
      push: true,
      reason: `${kind} branch without a version in its name: published`,
    };
  }
  const runNumber = requireRunNumber(input.runNumber);
  const core = padVersionParts(parsed.parts).join(".");
  const suffix = kind === "release" ? "rc" : "hotfix";
  // The kept prefix applies here too so that candidates sort next to the releases they precede.
  const version = `${settings.keepVersionPrefix ? settings.versionTagPrefix : ""}${core}-${suffix}.${runNumber}`;
  return {
    channel,
    version,
    tags: [tag, version, formatShaTag(input.sha)],
    push: true,
    reason:
      kind === "release"
        ? `release branch: published as release candidate ${version}`
        : `hotfix branch: published as ${version}`,
  };
}

function requireRunNumber(runNumber: number): number {
  if (!Number.isSafeInteger(runNumber) || runNumber <= 0) {
    throw new ConfigurationError(
      `run number ${runNumber} is not valid; pass GITHUB_RUN_NUMBER (a positive whole number)`,
    );
  }
  return runNumber;
}

/** `sha-<first 7 hex chars, lower-case>`, the one tag that names exactly one commit. */
function formatShaTag(sha: string): string {
  if (!/^[0-9a-fA-F]{7,64}$/.test(sha)) {
    throw new ConfigurationError(
      `commit sha '${sha}' is not valid; pass the full hex sha (at least 7 hex characters)`,
    );
  }
  return `sha-${sha.slice(0, 7).toLowerCase()}`;
}
