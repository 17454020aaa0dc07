import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigurationError } from "../../errors.js";
import type { GitopsTarget } from "../../options/promote.js";
import { isInside } from "../../rules/paths.js";
import { type GitopsFileUpdate, type ImagePin, updateGitopsFile } from "../../rules/promote/gitops-files.js";
import { describeGitFailure, readGit, runGit } from "../../runtime/git.js";
import type { Reporter } from "../../runtime/reporter.js";

/** A shallow clone with the files updated in memory: nothing is written or pushed yet. */
export interface GitopsChange {
  dir: string;
  branch: string;
  updates: readonly { file: string; update: GitopsFileUpdate }[];
  changed: boolean;
}

export interface GitopsCommit {
  changed: boolean;
  /** The commit that landed; undefined when the files already pinned the digest. */
  commit: string | undefined;
  attempts: number;
}

const PUSH_ATTEMPTS = 5;
const COMMITTER = ["-c", "user.name=goflow", "-c", "user.email=goflow@users.noreply.github.com"];

/** A remote for messages: credentials someone wrote into the URL are never printed. */
export function displayRemote(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, "$1***@");
}

/**
 * Clones the branch (depth 1) into a temp folder and computes every file's
 * update, so an unknown format, a missing key or a missing file is an error
 * before anything is changed anywhere.
 */
export async function prepareGitopsChange(
  target: GitopsTarget,
  pin: ImagePin,
  options: { tempDir: string; signal?: AbortSignal },
): Promise<GitopsChange> {
  const dir = mkdtempSync(join(options.tempDir, "goflow-gitops-"));
  const git = {
    cwd: dir,
    ...(target.token ? { token: target.token } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    const branchArgs = target.branch ? ["--branch", target.branch] : [];
    const clone = await runGit(
      ["clone", "--quiet", "--depth", "1", "--single-branch", ...branchArgs, "--", target.repository, "."],
      git,
    );
    if (clone.exitCode !== 0) {
      throw new ConfigurationError(
        `gitops-repository ${displayRemote(target.repository)}: ${describeGitFailure(clone)}; check the URL, gitops-branch and that gitops-token may read and push it`,
      );
    }
    const branch = target.branch ?? (await readGit(["rev-parse", "--abbrev-ref", "HEAD"], git));
    if (!branch || branch === "HEAD") {
      throw new ConfigurationError(
        `gitops-repository ${displayRemote(target.repository)} has no branch to commit to; set gitops-branch`,
      );
    }
    const updates = readUpdates(dir, target, pin);
    return { dir, branch, updates, changed: updates.some(({ update }) => update.changed) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function readUpdates(dir: string, target: GitopsTarget, pin: ImagePin): GitopsChange["updates"] {
  return target.files.map((file) => {
    const path = resolve(dir, file);
    if (!isInside(dir, path) || path === dir) {
      throw new ConfigurationError(
        `gitops-files: '${file}' is outside the repository; use a path relative to its root`,
      );
    }
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      throw new ConfigurationError(
        `gitops-files: '${file}' is not in ${displayRemote(target.repository)} on its branch; check the path`,
      );
    }
    return { file, update: updateGitopsFile(file, text, pin, target.key) };
  });
}

/**
 * Commits the change as goflow and pushes it. When the branch moved meanwhile
 * (another promote), it takes the new head and applies the change again on
 * it, a bounded number of times; if the new head already pins the digest,
 * nothing is committed, so two promotes of one image never make two commits.
 */
export async function pushGitopsChange(
  change: GitopsChange,
  target: GitopsTarget,
  pin: ImagePin,
  message: string,
  options: { reporter: Reporter; signal?: AbortSignal },
): Promise<GitopsCommit> {
  const git = {
    cwd: change.dir,
    ...(target.token ? { token: target.token } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let updates = change.updates;
  for (let attempt = 1; attempt <= PUSH_ATTEMPTS; attempt += 1) {
    if (!updates.some(({ update }) => update.changed))
      return { changed: false, commit: undefined, attempts: attempt };
    for (const { file, update } of updates) {
      if (update.changed) writeFileSync(resolve(change.dir, file), update.text);
    }
    const files = updates.filter(({ update }) => update.changed).map(({ file }) => file);
    await mustGit(["add", "--", ...files], git, "stage the files");
    await mustGit([...COMMITTER, "commit", "--quiet", "--no-verify", "-m", message], git, "commit");
    const push = await runGit(["push", "--quiet", "origin", `HEAD:refs/heads/${change.branch}`], git);
    if (push.exitCode === 0) {
      return { changed: true, commit: await readGit(["rev-parse", "HEAD"], git), attempts: attempt };
    }
    if (
      !/non-fast-forward|fetch first|rejected|stale info|cannot lock ref/i.test(
        `${push.stderr}${push.stdout}`,
      )
    ) {
      throw new ConfigurationError(
        `pushing to ${displayRemote(target.repository)} (${change.branch}): ${describeGitFailure(push)}; check that gitops-token may push to it`,
      );
    }
    options.reporter.info(
      `${change.branch} moved while promoting (attempt ${attempt}); applying the change again on its new head`,
    );
    await mustGit(["fetch", "--quiet", "--depth", "1", "origin", change.branch], git, "fetch the branch");
    await mustGit(["reset", "--quiet", "--hard", "FETCH_HEAD"], git, "take the new head");
    updates = readUpdates(change.dir, target, pin);
  }
  throw new Error(
    `${displayRemote(target.repository)} (${change.branch}) kept moving: ${PUSH_ATTEMPTS} pushes were rejected as non-fast-forward; run the promotion again`,
  );
}

async function mustGit(
  args: readonly string[],
  git: Parameters<typeof runGit>[1],
  what: string,
): Promise<void> {
  const result = await runGit(args, git);
  if (result.exitCode !== 0) throw new Error(`could not ${what}: ${describeGitFailure(result)}`);
}

export function removeGitopsClone(change: GitopsChange | undefined): void {
  if (change) rmSync(change.dir, { recursive: true, force: true });
}
