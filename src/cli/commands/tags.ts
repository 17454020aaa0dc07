import { ConfigurationError } from "../../errors.js";
import { readGitflowSettings } from "../../options/gitflow.js";
import { defaultInputs, type FlagValues, flagInputs, layerInputs } from "../../options/input-source.js";
import {
  computeImageTags,
  decidePush,
  type GitflowResult,
  type GitflowSettings,
  imageReferences,
  type PushDecision,
  parsePushMode,
  parseRef,
} from "../../rules/gitflow/index.js";
import type { Reporter } from "../../runtime/reporter.js";
import {
  booleanFlag,
  type Command,
  listFlag,
  type OptionSpec,
  type ParsedArgs,
  stringFlag,
} from "../command.js";

/** The git-flow layout flags, shared by `goflow tags` and `goflow package`. */
export const gitflowOptions: OptionSpec = {
  "develop-branch": { type: "string" },
  "main-branch": { type: "string" },
  "feature-prefix": { type: "string" },
  "release-prefix": { type: "string" },
  "hotfix-prefix": { type: "string" },
  "support-prefix": { type: "string" },
  "version-tag-prefix": { type: "string" },
  "keep-version-prefix": { type: "boolean" },
  "extra-tag": { type: "string", multiple: true },
  latest: { type: "string" },
};

export const gitflowHelp = `Git-flow layout (defaults as git flow init):
  --develop-branch <name>      integration branch (develop)
  --main-branch <name>         production branch (default: the default branch)
  --feature-prefix <p>         feature/    --release-prefix <p>   release/
  --hotfix-prefix <p>          hotfix/     --support-prefix <p>   support/
  --version-tag-prefix <p>     v (may be "")
  --keep-version-prefix        publish v1.2.3 instead of 1.2.3
  --extra-tag <tag>            add a tag to every build (repeatable, or comma-separated)
  --latest auto|true|false     when to tag latest (auto: the highest stable version)`;

/** The git-flow layout flags under docker-package's input names. */
export function gitflowFlagValues(args: ParsedArgs): FlagValues {
  return {
    "develop-branch": stringFlag(args, "develop-branch"),
    "main-branch": stringFlag(args, "main-branch"),
    "feature-prefix": stringFlag(args, "feature-prefix"),
    "release-prefix": stringFlag(args, "release-prefix"),
    "hotfix-prefix": stringFlag(args, "hotfix-prefix"),
    "support-prefix": stringFlag(args, "support-prefix"),
    "version-tag-prefix": stringFlag(args, "version-tag-prefix"),
    "keep-version-prefix": booleanFlag(args, "keep-version-prefix") || undefined,
    "extra-tags": splitList(listFlag(args, "extra-tag")),
    latest: stringFlag(args, "latest"),
  };
}

/** The flags over docker-package's defaults, as its action reads them (goflow tags reads no goflow.yml). */
function readGitflowFlags(args: ParsedArgs): Partial<GitflowSettings> {
  return readGitflowSettings(
    layerInputs(flagInputs(gitflowFlagValues(args)), defaultInputs("docker-package")),
  );
}

/** Repeatable flags that also accept comma-separated values. */
export function splitList(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
}

/** A whole number flag, or the fallback when it is not given. */
export function integerFlag(args: ParsedArgs, name: string, fallback: number): number {
  const value = stringFlag(args, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigurationError(`--${name} is '${value}'; use a whole number`);
  return Number(value);
}

const PULL_REQUEST_EVENTS = ["pull_request", "pull_request_target"];

export const tagsCommand: Command = {
  name: "tags",
  summary: "print the version, image tags and push decision the git-flow rules give a ref",
  help: `goflow tags: what docker-package would tag and push, without Docker

Usage: goflow tags --ref <ref> --sha <sha> [options]

The run:
  --event <name>               GITHUB_EVENT_NAME (default push)
  --ref <ref>                  refs/heads/develop, refs/tags/v1.2.3, refs/pull/42/merge, or a branch name
  --sha <sha>                  the commit (at least 7 hex characters)
  --default-branch <name>      the repository's default branch (default main)
  --pr-number <n>              pull request number (default: from refs/pull/<n>/merge)
  --pr-head-sha <sha>          the pull request's head commit (default --sha)
  --fork                       the pull request comes from a fork
  --run-number <n>             GITHUB_RUN_NUMBER, numbers release candidates and hotfixes (default 1)
  --version-tags <list>        the repository's tags, comma-separated, for latest: auto
  --push auto|true|false       the push input (default auto)
  --image <name>               also print full references (e.g. ghcr.io/acme/go-auth)
  --json                       print JSON instead of text

${gitflowHelp}

Examples:
  goflow tags --ref refs/tags/v1.2.3 --sha 89abcde --version-tags v1.0.0,v1.2.2
  goflow tags --event pull_request --ref refs/pull/42/merge --sha fedcba9 --fork --json`,
  options: {
    event: { type: "string" },
    ref: { type: "string" },
    sha: { type: "string" },
    "default-branch": { type: "string" },
    "pr-number": { type: "string" },
    "pr-head-sha": { type: "string" },
    fork: { type: "boolean" },
    "run-number": { type: "string" },
    "version-tags": { type: "string", multiple: true },
    push: { type: "string" },
    image: { type: "string" },
    json: { type: "boolean" },
    ...gitflowOptions,
  },
  async run(args: ParsedArgs, reporter: Reporter): Promise<number> {
    const ref = stringFlag(args, "ref");
    const sha = stringFlag(args, "sha");
    if (!ref || !sha) {
      throw new ConfigurationError("goflow tags needs --ref and --sha; see 'goflow tags --help'");
    }
    const eventName = stringFlag(args, "event") ?? "push";
    const result = computeImageTags({
      eventName,
      ref,
      sha,
      pullRequest: readPullRequest(args, eventName, ref, sha),
      defaultBranch: stringFlag(args, "default-branch") ?? "main",
      runNumber: integerFlag(args, "run-number", 1),
      versionTags: splitList(listFlag(args, "version-tags")),
      settings: readGitflowFlags(args),
    });
    const decision = decidePush(parsePushMode(stringFlag(args, "push") ?? "auto"), result);
    const image = stringFlag(args, "image");
    const references = image ? imageReferences(image, result.tags) : undefined;
    for (const line of formatTags(result, decision, references, booleanFlag(args, "json")))
      reporter.info(line);
    return 0;
  },
};

function readPullRequest(
  args: ParsedArgs,
  eventName: string,
  ref: string,
  sha: string,
): { number: number; headSha: string; fromFork: boolean } | undefined {
  const given = stringFlag(args, "pr-number");
  if (given === undefined && !PULL_REQUEST_EVENTS.includes(eventName)) return undefined;
  let number: number | undefined;
  if (given !== undefined) number = integerFlag(args, "pr-number", 0);
  else {
    const parsed = parseRef(ref);
    if (parsed.kind === "pull") number = parsed.number;
  }
  // Without a number the rules explain what is missing.
  if (number === undefined) return undefined;
  return { number, headSha: stringFlag(args, "pr-head-sha") ?? sha, fromFork: booleanFlag(args, "fork") };
}

export function formatTags(
  result: GitflowResult,
  decision: PushDecision,
  references: string[] | undefined,
  json: boolean,
): string[] {
  if (json) {
    return [
      JSON.stringify({
        version: result.version,
        channel: result.channel,
        tags: result.tags,
        ...(references ? { references } : {}),
        push: decision.push,
        reason: decision.reason,
        fromFork: result.fromFork,
      }),
    ];
  }
  return [
    `version  ${result.version}`,
    `channel  ${result.channel}`,
    `tags     ${result.tags.join(", ")}`,
    ...(references
      ? references.map((reference, i) => `${i === 0 ? "images   " : "         "}${reference}`)
      : []),
    `push     ${decision.push ? "yes" : "no"}: ${decision.reason}`,
  ];
}
