import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { readGit } from "../runtime/git.js";
import type { RunContext } from "../runtime/run-context.js";

/** The ref of a folder that is no git checkout: not a git-flow branch, so nothing is ever published from it. */
export const LOCAL_REF = "refs/heads/local";
/** Stands in for a commit where there is none; valid hex so the `sha-` tag can still be formed. */
export const NO_COMMIT_SHA = "0000000000000000000000000000000000000000";

export interface LocalContextOverrides {
  eventName?: string;
  ref?: string;
  sha?: string;
  runNumber?: number;
  defaultBranch?: string;
}

/**
 * The RunContext of a local run, from the git checkout around `dir` when
 * there is one: HEAD's commit, its branch (or, on a detached HEAD, the tag
 * it is exactly at), origin's default branch and the repository named by
 * origin's URL. Outside a checkout: `refs/heads/local`, an all-zero sha,
 * `main` as default branch and `local/<folder>` as repository.
 */
export async function buildLocalRunContext(
  dir: string,
  overrides: LocalContextOverrides = {},
): Promise<RunContext> {
  const folder = resolve(dir);
  const git = (...args: string[]): Promise<string | undefined> => readGit(args, { cwd: folder });

  const topLevel = await git("rev-parse", "--show-toplevel");
  const sha = topLevel ? await git("rev-parse", "HEAD") : undefined;
  let ref: string | undefined;
  if (sha) {
    const branch = await git("symbolic-ref", "--quiet", "HEAD");
    const tag = branch ? undefined : await git("describe", "--exact-match", "--tags", "HEAD");
    ref = branch ?? (tag ? `refs/tags/${tag}` : undefined);
  }
  const originHead = topLevel ? await git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD") : undefined;
  const origin = topLevel ? await git("remote", "get-url", "origin") : undefined;
  const remote = origin ? parseRemoteUrl(origin) : undefined;

  return {
    eventName: overrides.eventName ?? "push",
    ref: overrides.ref ?? ref ?? LOCAL_REF,
    sha: overrides.sha ?? sha ?? NO_COMMIT_SHA,
    repository: remote?.repository ?? `local/${basename(topLevel ?? folder)}`,
    serverUrl: remote?.serverUrl ?? "https://github.com",
    defaultBranch: overrides.defaultBranch ?? originHead?.replace(/^refs\/remotes\/origin\//, "") ?? "main",
    runId: "local",
    runNumber: overrides.runNumber ?? 0,
    runAttempt: 1,
    job: "local",
    workspace: topLevel ?? folder,
    tempDir: tmpdir(),
    pullRequest: undefined,
    repositoryDescription: undefined,
    repositoryLicense: undefined,
  };
}

/** `git@github.com:acme/go-auth.git` or `https://github.com/acme/go-auth(.git)` → host and owner/name. */
export function parseRemoteUrl(url: string): { serverUrl: string; repository: string } | undefined {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(url);
  const full = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(url);
  const match = full ?? scp;
  const host = match?.[1];
  const repository = match?.[2];
  if (!host || !repository?.includes("/")) return undefined;
  return { serverUrl: `https://${host}`, repository };
}

/**
 * A temp folder of this run's own (mode 700, a new name every time), for
 * what a stage writes under RUNNER_TEMP in an action: never a fixed path under
 * /tmp that another user may have created first. It holds the reports the
 * command points at, so it is left for the user.
 */
export function createPrivateTempDir(): string {
  return mkdtempSync(join(tmpdir(), "goflow-"));
}
