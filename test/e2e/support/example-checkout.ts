import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { chownTree } from "../../harness/run-action.js";

export const EXAMPLE = resolve("examples/go-auth");

/** A git checkout of `source` (the example service) on `branch` in root/name, owned by `user`. */
export function checkoutExample(
  root: string,
  name: string,
  branch: string,
  user: { uid: number; gid: number },
  source = EXAMPLE,
): { dir: string; sha: string } {
  const dir = join(root, name);
  cpSync(source, dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    }).trim();
  git("init", "-q", "-b", branch);
  git("add", ".");
  git("commit", "-qm", "example");
  const sha = git("rev-parse", "HEAD");
  chownTree(dir, user);
  return { dir, sha };
}

/** Every io.goflow.run label a run printed: the build's containers and the test environments. */
export function printedRunLabels(output: string): string[] {
  return [...new Set([...output.matchAll(/io\.goflow\.run=([\w.-]+)/g)].map((m) => m[1] ?? ""))];
}
