import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * GitHub's hosted runners run steps as `runner` (uid 1001) with the docker
 * group as primary group. CI here runs as root, where an ownership check proves
 * nothing, so end-to-end tests run actions as that user; it is created when
 * missing (the test runs as root).
 */
export const RUNNER_UID = 1001;

export function ensureRunnerUser(): { uid: number; gid: number } {
  const gid = Number(execFileSync("getent", ["group", "docker"], { encoding: "utf8" }).split(":")[2]);
  if (!Number.isInteger(gid)) throw new Error("no docker group on this machine");
  try {
    execFileSync("getent", ["passwd", String(RUNNER_UID)], { stdio: "ignore" });
  } catch {
    execFileSync(
      "useradd",
      ["--uid", String(RUNNER_UID), "--gid", String(gid), "--create-home", "goflow-runner"],
      {
        stdio: "ignore",
      },
    );
  }
  return { uid: RUNNER_UID, gid };
}

/** Paths under `root` owned by root: what the workspace must never contain after a run. */
export function rootOwnedFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = statSync(path);
    if (stat.uid === 0) found.push(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(root);
  return found;
}
