import { type ProcessResult, runProcess } from "./process.js";

/**
 * The one way goflow runs git. A token for an HTTPS remote goes in as an
 * `http.extraHeader` through git's GIT_CONFIG_* environment, never in argv,
 * a remote URL or a config file, so neither `ps`, the logs nor the clone's
 * .git/config ever show it; prompts are off, so a refused credential fails
 * instead of waiting for a terminal.
 */
export interface GitOptions {
  cwd: string;
  /** A token for HTTPS remotes (GitHub's `x-access-token` convention). */
  token?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export function gitEnvironment(token: string | undefined): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: "0", GCM_INTERACTIVE: "never", LC_ALL: "C" };
  if (token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    Object.assign(env, {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    });
  }
  return env;
}

/** Runs `git <args>` and returns the result whatever the exit code. */
export function runGit(args: readonly string[], options: GitOptions): Promise<ProcessResult> {
  return runProcess("git", args, {
    cwd: options.cwd,
    env: gitEnvironment(options.token),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** The trimmed stdout of a git command that succeeded with output; undefined otherwise (or when git is missing). */
export async function readGit(args: readonly string[], options: GitOptions): Promise<string | undefined> {
  try {
    const result = await runGit(args, { timeoutMs: 30_000, ...options });
    const text = result.stdout.trim();
    return result.exitCode === 0 && text ? text : undefined;
  } catch {
    return undefined;
  }
}

/** A failed git command as one line for an error: the command and the last line git printed. */
export function describeGitFailure(result: ProcessResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const detail = lines.filter((line) => !line.startsWith("hint:")).pop() ?? `exit code ${result.exitCode}`;
  return `git ${result.args[0] ?? ""} failed: ${detail}`;
}
