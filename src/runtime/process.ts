import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { lastLines } from "../rules/format.js";

/**
 * The one way goflow runs a program. Arguments are an array handed to the
 * kernel as they are: no shell ever sees a branch name, a PR title or an input.
 */
export interface ProcessOptions {
  cwd?: string;
  /** Added to (or, with `replaceEnv`, instead of) this process's environment. */
  env?: Record<string, string | undefined>;
  replaceEnv?: boolean;
  /** Killed (SIGTERM, then SIGKILL after 5 s) when it runs longer. Default 10 minutes. */
  timeoutMs?: number;
  /** Written to the program's stdin, then stdin is closed (e.g. `docker login --password-stdin`). */
  input?: string;
  /** Called with each chunk as it arrives, for live logs. */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Stream stdout to this file instead of holding it in memory (compose logs). */
  stdoutFile?: string;
  /** Keep at most this many characters of each stream in the result (the tail). Default 4 MiB. */
  captureLimit?: number;
  signal?: AbortSignal;
}

export interface ProcessResult {
  command: string;
  args: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_CAPTURE_LIMIT = 4 * 1024 * 1024;

/** A program failed to start or exited non-zero where success was required. */
export class ProcessError extends Error {
  override readonly name = "ProcessError";
  constructor(
    message: string,
    readonly result: ProcessResult,
  ) {
    super(message);
  }
}

export function describeCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  const started = Date.now();
  const limit = options.captureLimit ?? DEFAULT_CAPTURE_LIMIT;
  const env = options.replaceEnv ? { ...options.env } : { ...process.env, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];

  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
      signal: options.signal,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const file = options.stdoutFile ? createWriteStream(options.stdoutFile) : undefined;
    const keepTail = (text: string) => (text.length > limit ? text.slice(text.length - limit) : text);

    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (file) file.write(chunk);
      else stdout = keepTail(stdout + chunk);
      options.onStdout?.(chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      stderr = keepTail(stderr + chunk);
      options.onStderr?.(chunk);
    });
    child.stdin.on("error", () => {
      // The program may exit without reading its input; its exit code tells what happened.
    });
    child.stdin.end(options.input ?? "");

    let killTimer: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      file?.end();
      const hint = error.code === "ENOENT" ? `: '${command}' is not installed or not on PATH` : "";
      reject(new Error(`could not start ${describeCommand(command, args)}${hint} (${error.message})`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      const finish = () =>
        resolve({
          command,
          args,
          exitCode: code ?? (signal ? 128 + signalNumber(signal) : 1),
          stdout,
          stderr,
          timedOut,
          durationMs: Date.now() - started,
        });
      if (file) file.end(finish);
      else finish();
    });
  });
}

/** Runs a program and throws a ProcessError naming the command when it fails. */
export async function runProcessChecked(
  command: string,
  args: readonly string[],
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  const result = await runProcess(command, args, options);
  if (result.exitCode !== 0 || result.timedOut) throw new ProcessError(describeFailure(result), result);
  return result;
}

export function describeFailure(result: ProcessResult): string {
  const what = describeCommand(result.command, result.args);
  const why = result.timedOut ? "timed out" : `exited with code ${result.exitCode}`;
  const detail = lastLines(result.stderr.trim() || result.stdout, 20);
  return `${what} ${why}${detail ? `:\n${detail}` : ""}`;
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}
