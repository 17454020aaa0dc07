import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type ActionRun, chownTree, type RunActionOptions, runAction } from "../harness/run-action.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/** Helpers shared by the go-build end-to-end files. */
export const GO_BUILD_ACTION = resolve("actions/go-build");
export const FIXTURE_MODULES = resolve("test/fixtures/go/modules");
export const GO_AUTH = resolve("examples/go-auth");

export interface GoBuildFixture {
  user: { uid: number; gid: number };
  /** A workspace owned by the runner user holding a copy of `module` at `subdir` (the workspace root when ""). */
  workspace(module: string, subdir?: string): string;
  /** A cache-dir owned by the runner user. */
  cacheDir(): string;
  /** A `docker` first on PATH that logs every call (one line of arguments each) and runs the real one. */
  recordDocker(): DockerRecorder;
  run(options: Omit<RunActionOptions, "action" | "user">): Promise<ActionRun>;
  cleanup(): void;
}

export interface DockerRecorder {
  env: Record<string, string>;
  calls(): string[];
}

export function goBuildFixture(): GoBuildFixture {
  const user = ensureRunnerUser();
  const made: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  return {
    user,
    workspace(module, subdir = "") {
      const workspace = tempDir("goflow-go-build-ws-");
      const source = module.startsWith("/") ? module : join(FIXTURE_MODULES, module);
      cpSync(source, join(workspace, subdir), { recursive: true });
      chownTree(workspace, user);
      return workspace;
    },
    cacheDir() {
      const dir = tempDir("goflow-go-build-cache-");
      chownTree(dir, user);
      return dir;
    },
    recordDocker() {
      const dir = tempDir("goflow-docker-recorder-");
      const log = join(dir, "calls.log");
      const realDocker = execFileSync("sh", ["-c", "command -v docker"], { encoding: "utf8" }).trim();
      writeFileSync(log, "");
      writeFileSync(
        join(dir, "docker"),
        `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realDocker}' "$@"\n`,
      );
      chmodSync(join(dir, "docker"), 0o755);
      chmodSync(dir, 0o755);
      chownTree(dir, user);
      return {
        env: { PATH: `${dir}:${process.env.PATH ?? "/usr/bin:/bin"}` },
        calls: () => readFileSync(log, "utf8").split("\n").filter(Boolean),
      };
    },
    run(options) {
      return runAction({ action: GO_BUILD_ACTION, user, timeoutMs: 8 * 60_000, ...options });
    },
    cleanup() {
      for (const dir of made) if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every log line of a run, for failure messages. */
export function logOf(run: ActionRun): string {
  return `${run.main.stdout}\n${run.main.stderr}\n${run.post?.stdout ?? ""}${run.post?.stderr ?? ""}`;
}

/** The run id the action printed (`io.goflow.run=<id>`), to look for its containers. */
export function runIdOf(run: ActionRun): string | undefined {
  return /io\.goflow\.run=(\S+)/.exec(run.main.stdout)?.[1];
}

export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
