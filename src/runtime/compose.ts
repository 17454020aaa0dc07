import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConfigurationError } from "../errors.js";
import {
  type ComposeConfig,
  type ComposePsEntry,
  parseComposeConfig,
  parseComposePs,
} from "../rules/compose/index.js";
import { lastLines } from "../rules/format.js";
import type { Docker } from "./docker.js";
import { describeFailure, ProcessError, type ProcessResult } from "./process.js";

const MINUTE = 60_000;
/** Logs and messages go to files and CI logs: no colours, no cursor movement (compose writes both without a TTY). */
const ANSI_NEVER = ["--ansi", "never"];

/** Where the compose files are and what `${VAR}` in them expands to. */
export interface ComposeFiles {
  /** Absolute paths, in `-f` order. */
  files: readonly string[];
  /** Relative paths in the files (build contexts, bind mounts, env_file) are resolved against it. */
  projectDirectory: string;
  /** Variables for `${VAR}` interpolation, on top of this process's environment. */
  env: Readonly<Record<string, string>>;
}

/**
 * Reads the merged, interpolated model of compose files (`docker compose
 * config --format json`). Compose rejecting the files is the user's to fix, so
 * it becomes a ConfigurationError with compose's own message.
 */
export async function loadComposeConfig(
  docker: Docker,
  compose: ComposeFiles,
  options: { allProfiles?: boolean } = {},
): Promise<ComposeConfig> {
  const result = await docker.run(
    [
      "compose",
      ...ANSI_NEVER,
      // Every profile: to tell a service of a disabled profile from one that does not exist.
      ...(options.allProfiles ? ["--profile", "*"] : []),
      "--project-directory",
      compose.projectDirectory,
      ...fileArgs(compose.files),
      "config",
      "--format",
      "json",
    ],
    { cwd: compose.projectDirectory, env: compose.env, timeoutMs: 2 * MINUTE },
  );
  if (result.exitCode !== 0 || result.timedOut) {
    const detail = lastLines(result.stderr.trim() || result.stdout, 10);
    throw new ConfigurationError(
      `docker compose rejected ${compose.files.join(", ")}: ${detail || describeFailure(result)}`,
    );
  }
  return parseComposeConfig(result.stdout);
}

// Compose's progress lines (` Container x  Started`), noise next to the error at the end.
const PROGRESS_LINE = /^\s*(?:Container|Network|Volume|Image)\s+\S+\s+\S+$/;

/** The lines of a failed compose command that say why: its stderr without progress lines, the last few. */
export function composeErrorDetail(result: Pick<ProcessResult, "stdout" | "stderr">, lines = 5): string {
  const text = stripAnsi(result.stderr.trim() || result.stdout.trim());
  const meaningful = text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "" && !PROGRESS_LINE.test(line));
  return meaningful.slice(-lines).join("\n").trim();
}

/** A host address and port where a container port is published. */
export interface PublishedPort {
  host: string;
  port: number;
}

/**
 * Reads `docker compose port` output: `127.0.0.1:49153`, `0.0.0.0:9000`,
 * `[::]:9000` or `:::9000`. A wildcard address is reached on loopback.
 */
export function parsePublishedPort(output: string): PublishedPort | undefined {
  const line = output.trim().split("\n")[0]?.trim() ?? "";
  const match = /^(.*):(\d{1,5})$/.exec(line);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  let host = (match[1] ?? "").replace(/^\[(.*)\]$/, "$1");
  if (host === "" || host === "0.0.0.0" || host === "::") host = "127.0.0.1";
  return { host: host.includes(":") ? `[${host}]` : host, port };
}

/**
 * One compose project of a test run: brought up, probed, exec'd into and
 * brought down again, always by its own project name so that it never touches
 * another run's containers. Every method builds a `docker compose` argument
 * array on the process wrapper; none goes through a shell.
 */
export class ComposeEnvironment {
  constructor(
    private readonly docker: Docker,
    readonly project: string,
    private readonly compose: ComposeFiles,
  ) {}

  /**
   * `up --detach`: creates and starts the containers (compose itself waits for
   * `depends_on` conditions); readiness is decided afterwards from `ps`, so a
   * one-shot job that exits 0 is not a failure. Never builds: {@link build}
   * does that first, outside the readiness budget.
   */
  up(options: { timeoutMs: number; signal?: AbortSignal }): Promise<ProcessResult> {
    return this.run(["up", "--detach", "--quiet-pull", "--no-build"], {
      // Pulling missing images and creating containers come on top of waiting for dependencies.
      timeoutMs: options.timeoutMs + 5 * MINUTE,
      signal: options.signal,
    });
  }

  /** `build` of these services, always (a tag that exists is no reason to skip it); plain progress for the log. */
  build(services: readonly string[], signal?: AbortSignal): Promise<ProcessResult> {
    return this.run(["--progress", "plain", "build", ...services], {
      timeoutMs: 30 * MINUTE,
      signal,
      captureLimit: 1024 * 1024,
    });
  }

  /** The host address of a container port; throws with `hint` (what to do) when the port is not published. */
  async port(service: string, containerPort: number, hint: string): Promise<PublishedPort> {
    const result = await this.run(["port", service, String(containerPort)], { timeoutMs: MINUTE });
    const published = result.exitCode === 0 ? parsePublishedPort(result.stdout) : undefined;
    if (published === undefined) {
      throw new ProcessError(
        `port ${containerPort} of service '${service}' is not published (${describeFailure(result)}); ${hint}`,
        result,
      );
    }
    return published;
  }

  /** `exec -T <service> <command...>`: no TTY, the argument array as it is. */
  exec(service: string, command: readonly string[], timeoutMs: number): Promise<ProcessResult> {
    return this.run(["exec", "-T", service, ...command], { timeoutMs });
  }

  async ps(): Promise<ComposePsEntry[]> {
    const result = await this.run(["ps", "--all", "--format", "json"], { timeoutMs: MINUTE });
    if (result.exitCode !== 0) throw new ProcessError(describeFailure(result), result);
    return parseComposePs(result.stdout);
  }

  /**
   * Streams the logs of every service to `file`, never holding them in
   * memory: through the process wrapper into a raw file, then through
   * {@link AnsiStripper} into `file` (compose 2.2x starts each line with an
   * erase-line sequence even with `--ansi never`).
   */
  async logsToFile(file: string): Promise<ProcessResult> {
    const raw = `${file}.raw`;
    try {
      const result = await this.run(["logs", "--no-color", "--timestamps"], {
        stdoutFile: raw,
        timeoutMs: 5 * MINUTE,
      });
      await pipeline(createReadStream(raw, "utf8"), new AnsiStripper(), createWriteStream(file));
      return result;
    } finally {
      rmSync(raw, { force: true });
    }
  }

  /** The last `lines` lines of some services' logs, for printing after a readiness failure. */
  async logsTail(services: readonly string[], lines: number): Promise<string> {
    const result = await this.run(["logs", "--no-color", "--tail", String(lines), ...services], {
      timeoutMs: MINUTE,
      captureLimit: 256 * 1024,
    });
    return stripAnsi(result.stdout + (result.exitCode === 0 ? "" : result.stderr)).trimEnd();
  }

  /**
   * Removes the project's containers, networks and volumes; never throws (the
   * caller reports). `removeUnnamedImages` adds `--rmi local`: the images
   * compose built under its default `<project>-<service>` name go too.
   */
  async down(stopTimeoutSeconds: number, removeUnnamedImages = false): Promise<ProcessResult> {
    if (!removeUnnamedImages) return downComposeProject(this.docker, this.project, stopTimeoutSeconds);
    if (stopTimeoutSeconds === 0) await killComposeProject(this.docker, this.project);
    return this.run(
      ["down", "--volumes", "--remove-orphans", "--rmi", "local", "--timeout", String(stopTimeoutSeconds)],
      { timeoutMs: stopTimeoutSeconds * 1000 + 2 * MINUTE },
    );
  }

  private run(
    args: readonly string[],
    options: { timeoutMs: number; signal?: AbortSignal; stdoutFile?: string; captureLimit?: number },
  ): Promise<ProcessResult> {
    return this.docker.run(
      [
        "compose",
        ...ANSI_NEVER,
        "--project-name",
        this.project,
        "--project-directory",
        this.compose.projectDirectory,
        ...fileArgs(this.compose.files),
        ...args,
      ],
      { ...options, cwd: this.compose.projectDirectory, env: this.compose.env },
    );
  }
}

/**
 * `down` by project name alone: compose finds the containers by their project
 * label, so this works without the compose files (in a post step, after the
 * temporary files are gone).
 */
export async function downComposeProject(
  docker: Docker,
  project: string,
  stopTimeoutSeconds: number,
): Promise<ProcessResult> {
  if (stopTimeoutSeconds === 0) await killComposeProject(docker, project);
  const args = ["compose", ...ANSI_NEVER, "--project-name", project, "down", "--volumes", "--remove-orphans"];
  try {
    return await docker.run([...args, "--timeout", String(stopTimeoutSeconds)], {
      timeoutMs: stopTimeoutSeconds * 1000 + 2 * MINUTE,
    });
  } catch (error) {
    // Only a missing docker binary gets here; report it as a failed command rather than throw.
    return {
      command: docker.binary,
      args,
      exitCode: 127,
      stdout: "",
      stderr: error instanceof Error ? error.message : String(error),
      timedOut: false,
      durationMs: 0,
    };
  }
}

/**
 * SIGKILL for every container of the project: a throw-away environment's
 * state is discarded anyway, and a service that ignores SIGTERM (a shell
 * entrypoint) would hold `down` for its whole stop timeout. `down` follows
 * and removes what is left; a failure here is its to report.
 */
async function killComposeProject(docker: Docker, project: string): Promise<void> {
  try {
    await docker.run(["compose", ...ANSI_NEVER, "--project-name", project, "kill", "--remove-orphans"], {
      timeoutMs: 2 * MINUTE,
    });
  } catch {
    // Only a missing docker binary gets here; down reports it.
  }
}

function fileArgs(files: readonly string[]): string[] {
  return files.flatMap((file) => ["--file", file]);
}

// CSI sequences (colours, erase-line, cursor moves): ESC [ parameters intermediates final.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ESC is the point.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// A sequence cut off at the end of a chunk: kept for the next one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ESC is the point.
const PARTIAL_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*)?$/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, "");
}

/** Removes ANSI sequences from a text stream, also those split across chunks. */
export class AnsiStripper extends Transform {
  private carry = "";
  constructor() {
    super({ decodeStrings: false, encoding: "utf8" });
  }
  override _transform(chunk: string | Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const text = this.carry + String(chunk);
    const partial = PARTIAL_SEQUENCE.exec(text);
    this.carry = partial ? partial[0] : "";
    callback(null, stripAnsi(partial ? text.slice(0, partial.index) : text));
  }
  override _flush(callback: TransformCallback): void {
    callback(null, this.carry);
  }
}
