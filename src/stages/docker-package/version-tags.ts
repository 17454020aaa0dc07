import { startRequestDeadline } from "../../runtime/http.js";
import { runProcess } from "../../runtime/process.js";
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
      const names = await listTagsFromApi(options);
      options.reporter.info(`${names.length} tags of ${options.repository} read from the GitHub API`);
      return { source: "github-api", names };
    } catch (error) {
      options.reporter.info(
        `could not list the tags of ${options.repository} through the GitHub API (${errorText(error)}); trying git tag --list`,
      );
    }
  }
  try {
    const result = await runProcess("git", ["tag", "--list"], {
      cwd: options.workspace,
      timeoutMs: 60_000,
    });
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

async function listTagsFromApi(options: ListVersionTagsOptions): Promise<string[]> {
  const names: string[] = [];
  let url: string | undefined =
    `${options.apiUrl.replace(/\/+$/, "")}/repos/${options.repository}/tags?per_page=100`;
  for (let page = 0; url !== undefined && page < (options.maxPages ?? 50); page++) {
    // A ref'd deadline, so the process stays alive while GitHub answers (see startRequestDeadline).
    const deadline = startRequestDeadline(options.timeoutMs ?? 30_000);
    try {
      const response: Response = await fetch(url, {
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${options.token}`,
          "x-github-api-version": "2022-11-28",
          "user-agent": "goflow-actions",
        },
        signal: deadline.signal,
      });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText} from ${url}`);
      const body: unknown = await response.json();
      if (!Array.isArray(body)) throw new Error(`unexpected answer from ${url}`);
      for (const entry of body) {
        if (typeof entry === "object" && entry !== null && "name" in entry && typeof entry.name === "string")
          names.push(entry.name);
      }
      url = nextPageUrl(response.headers.get("link"));
    } finally {
      deadline.clear();
    }
  }
  return names;
}

/** The `rel="next"` target of a GitHub Link header. */
export function nextPageUrl(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
