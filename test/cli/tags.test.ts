import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { packageCommand } from "../../src/cli/commands/package.js";
import { tagsCommand } from "../../src/cli/commands/tags.js";
import { ConfigurationError } from "../../src/errors.js";
import { RecordingReporter } from "../../src/runtime/reporter.js";

/** Parses like src/cli/main.ts does (with --help). */
function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { ...tagsCommand.options, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
}

/** Runs `goflow tags <argv>` in process and returns what it printed. */
async function tags(...argv: string[]): Promise<string[]> {
  const args = parse(argv);
  const reporter = new RecordingReporter();
  expect(await tagsCommand.run(args, reporter)).toBe(0);
  return reporter.lines;
}

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("goflow tags", () => {
  it.each<[string, string[], Record<string, unknown>]>([
    [
      "push to develop",
      ["--ref", "refs/heads/develop", "--sha", SHA],
      { version: "develop", channel: "develop", tags: ["develop", "sha-0123456"], push: true },
    ],
    [
      "the highest release tag gets latest",
      ["--ref", "refs/tags/v1.2.3", "--sha", SHA, "--version-tags", "v1.0.0,v1.2.2"],
      { version: "1.2.3", channel: "release", tags: ["1.2.3", "1.2", "1", "latest"], push: true },
    ],
    [
      "a lower release tag does not (version tags repeated)",
      ["--ref", "refs/tags/v1.2.3", "--sha", SHA, "--version-tags", "v1.0.0", "--version-tags", "v2.0.0"],
      { version: "1.2.3", tags: ["1.2.3", "1.2", "1"] },
    ],
    [
      "a fork pull request is not pushed",
      [
        "--event",
        "pull_request",
        "--ref",
        "refs/pull/42/merge",
        "--sha",
        SHA,
        "--pr-head-sha",
        "fedcba9876",
        "--fork",
      ],
      {
        version: "pr-42",
        channel: "pull-request",
        tags: ["pr-42", "sha-fedcba9"],
        push: false,
        reason: "pull request from a fork: not pushed",
        fromFork: true,
      },
    ],
    [
      "a same-repository pull request with its number given",
      ["--event", "pull_request", "--ref", "refs/pull/7/merge", "--sha", SHA, "--pr-number", "42"],
      { version: "pr-42", push: false, fromFork: false },
    ],
    [
      "a release branch numbered by the run",
      ["--ref", "release/1.3", "--sha", SHA, "--run-number", "57"],
      { version: "1.3.0-rc.57", channel: "release-candidate", push: true },
    ],
    [
      "git-flow settings: another develop branch, extra tags",
      ["--ref", "refs/heads/dev", "--sha", SHA, "--develop-branch", "dev", "--extra-tag", "edge,nightly"],
      { channel: "develop", tags: ["dev", "sha-0123456", "edge", "nightly"] },
    ],
    [
      "kept version prefix and push false",
      ["--ref", "refs/tags/v2.0.0", "--sha", SHA, "--keep-version-prefix", "--push", "false"],
      { version: "v2.0.0", push: false, reason: "push: false: built and tested, not published" },
    ],
    [
      "full references with --image",
      ["--ref", "refs/heads/main", "--sha", SHA, "--image", "ghcr.io/acme/go-auth"],
      { channel: "main", references: ["ghcr.io/acme/go-auth:main", "ghcr.io/acme/go-auth:sha-0123456"] },
    ],
  ])("%s (--json)", async (_name, argv, expected) => {
    const lines = await tags(...argv, "--json");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject(expected);
  });

  it("prints readable lines by default", async () => {
    expect(
      await tags("--event", "pull_request", "--ref", "refs/pull/42/merge", "--sha", SHA, "--fork"),
    ).toEqual([
      "version  pr-42",
      "channel  pull-request",
      "tags     pr-42, sha-0123456",
      "push     no: pull request from a fork: not pushed",
    ]);
  });

  it.each([
    ["no --ref", ["--sha", SHA], /needs --ref and --sha/],
    ["a bad sha", ["--ref", "develop", "--sha", "xyz"], /commit sha 'xyz' is not valid/],
    [
      "push true for a fork",
      ["--event", "pull_request", "--ref", "refs/pull/42/merge", "--sha", SHA, "--fork", "--push", "true"],
      /push: true cannot publish pr-42/,
    ],
    ["a bad run number", ["--ref", "develop", "--sha", SHA, "--run-number", "x"], /--run-number is 'x'/],
    ["an upper-case image", ["--ref", "develop", "--sha", SHA, "--image", "ghcr.io/Acme/app"], /lower-case/],
  ])("fails with a ConfigurationError for %s", async (_name, argv, message) => {
    const run = tagsCommand.run(parse(argv), new RecordingReporter());
    await expect(run).rejects.toThrow(ConfigurationError);
    await expect(run).rejects.toThrow(message);
  });

  it("documents every flag in --help", () => {
    for (const flag of Object.keys(tagsCommand.options)) expect(tagsCommand.help).toContain(`--${flag}`);
  });
});

describe("goflow package --help", () => {
  it("documents every flag", () => {
    for (const flag of Object.keys(packageCommand.options))
      expect(packageCommand.help).toContain(`--${flag}`);
  });
});
