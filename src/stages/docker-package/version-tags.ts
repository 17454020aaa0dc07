import { runGit } from "../../runtime/git.js";
import { listTagNames } from "../../runtime/github-api.js";
import type { Reporter } from "../../runtime/reporter.js";

export interface VersionTagSource {
  /** Where the names came from, for the log. */
  source: "github-api" | "git" | "none";
  names: string[];
}

export interface ListVersionTagsOptions {
  /** owner/name */
  repository: string;
  apiUrl: string;
  token: string | undefined;
  /** A checkout to ask `git tag --list` when the API cannot answer. */
  workspace: string;
  reporter: Reporter;
  /** Safety stop: 100 tags per page. */
  maxPages?: number;
  timeoutMs?: number;
}

/**
 * The repository's tag names, for deciding `latest: auto`: through the GitHub
 * API when there is a token (a shallow checkout has no tags), else from the
 * workspace's git, else none, which makes the tag being built count as the
 * highest. Never throws: a missing list only changes `latest`, and says so.
 */
export async function listVersionTags(options: ListVersionTagsOptions): Promise<VersionTagSource> {
  if (options.token && options.repository) {
    try {
      const names = await listTagNames({ ...options, token: options.token });
      options.reporter.info(`${names.length} tags of ${options.repository} read from the GitHub API`);
      return { source: "github-api", names };
    } catch (error) {
      options.reporter.info(
        `could not list the tags of ${options.repository} through the GitHub API (${errorText(error)}); trying git tag --list`,
      );
    }
  }
  try {
    const result = await runGit(["tag", "--list"], { cwd: options.workspace, timeoutMs: 60_000 });
    if (result.exitCode === 0) {
      const names = result.stdout
        .split("\n")
        .map((name) => name.trim())
        .filter(Boolean);
      options.reporter.info(`${names.length} tags read with git tag --list in ${options.workspace}`);
      return { source: "git", names };
    }
  } catch {
    // git is not installed: same as no checkout.
  }
  options.reporter.info(
    "no version tags available (no github-token and no git checkout with tags): this tag counts as the highest release for latest: auto",
  );
  return { source: "none", names: [] };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
