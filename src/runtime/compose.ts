import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConfigurationError } from "../errors.js";
import {
  type ComposeConfig,
  type ComposePsEntry,
  type PublishedPort,
  parseComposeConfig,
  parseProjectContainers,
  parsePublishedPort,
  stripAnsi,
  stripAnsiChunk,
} from "../rules/compose/index.js";
import { lastLines } from "../rules/format.js";
import {
  type ComposeScope,
  composeBuildArgs,
  composeConfigArgs,
  composeDownArgs,
  composeExecArgs,
  composeKillArgs,
  composeLogsArgs,
  composePortArgs,
  composeUpArgs,
  type Docker,
  projectContainersArgs,
} from "./docker.js";
import { describeFailure, ProcessError, type ProcessOptions, type ProcessResult } from "./process.js";

const MINUTE = 60_000;

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
    composeConfigArgs({
      // Every profile: to tell a service of a disabled profile from one that does not exist.
      allProfiles: options.allProfiles,
      projectDirectory: compose.projectDirectory,
      files: compose.files,
    }),
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

/**
 * One compose project of a test run: brought up, probed, exec'd into and
 * brought down again, always by its own project name so that it never touches
 * another run's containers. Every method runs an argument list from
 * runtime/docker.ts; none goes through a shell.
 */
export class ComposeEnvironment {
  private readonly scope: ComposeScope;

  constructor(
    private readonly docker: Docker,
    readonly project: string,
    private readonly compose: ComposeFiles,
  ) {
    this.scope = { project, projectDirectory: compose.projectDirectory, files: compose.files };
  }

  /**
   * `up --detach`: creates and starts the containers (compose itself waits for
   * `depends_on` conditions); readiness is decided afterwards from `ps`, so a
   * one-shot job that exits 0 is not a failure. Never builds: {@link build}
   * does that first, outside the readiness budget.
   */
  up(options: { timeoutMs: number; signal?: AbortSignal }): Promise<ProcessResult> {
    return this.run(composeUpArgs(this.scope), {
      // Pulling missing images and creating containers come on top of waiting for dependencies.
      timeoutMs: options.timeoutMs + 5 * MINUTE,
      signal: options.signal,
    });
  }

  /** `build` of these services, always (a tag that exists is no reason to skip it); plain progress for the log. */
  build(services: readonly string[], signal?: AbortSignal): Promise<ProcessResult> {
    return this.run(composeBuildArgs(this.scope, services), {
      timeoutMs: 30 * MINUTE,
      signal,
      captureLimit: 1024 * 1024,
    });
  }

  /** Where a container port is published, or undefined while it is not (yet). */
  async publishedPort(service: string, containerPort: number): Promise<PublishedPort | undefined> {
    const result = await this.run(composePortArgs(this.scope, service, containerPort), { timeoutMs: MINUTE });
    return result.exitCode === 0 ? parsePublishedPort(result.stdout) : undefined;
  }

  /** The host address of a container port; throws with `hint` (what to do) when the port is not published. */
  async port(service: string, containerPort: number, hint: string): Promise<PublishedPort> {
    const result = await this.run(composePortArgs(this.scope, service, containerPort), { timeoutMs: MINUTE });
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
    return this.run(composeExecArgs(this.scope, service, command), { timeoutMs });
  }

  /** The project's containers and their states, for deciding readiness. */
  async ps(): Promise<ComposePsEntry[]> {
    const result = await this.docker.run(projectContainersArgs(this.project), { timeoutMs: MINUTE });
    if (result.exitCode !== 0) throw new ProcessError(describeFailure(result), result);
    return parseProjectContainers(result.stdout);
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
      const result = await this.run(composeLogsArgs(this.scope), { stdoutFile: raw, timeoutMs: 5 * MINUTE });
      await pipeline(createReadStream(raw, "utf8"), new AnsiStripper(), createWriteStream(file));
      return result;
    } finally {
      rmSync(raw, { force: true });
    }
  }

  /** The last `lines` lines of some services' logs, for printing after a readiness failure. */
  async logsTail(services: readonly string[], lines: number): Promise<string> {
    const result = await this.run(composeLogsArgs(this.scope, { tail: lines, services }), {
      timeoutMs: MINUTE,
      captureLimit: 256 * 1024,
    });
    return stripAnsi(result.stdout + (result.exitCode === 0 ? "" : result.stderr)).trimEnd();
  }

  /**
   * Removes the project's containers, networks and volumes (see
   * {@link tearDownComposeProject}); never throws. `removeUnnamedImages` adds
   * `--rmi local`: the images compose built under its default
   * `<project>-<service>` name go too, which needs the compose files.
   */
  down(stopTimeoutSeconds: number, removeUnnamedImages = false): Promise<ProcessResult> {
    if (!removeUnnamedImages) {
      return tearDownComposeProject(this.docker, { project: this.project }, { stopTimeoutSeconds });
    }
    return tearDownComposeProject(this.docker, this.scope, {
      stopTimeoutSeconds,
      removeLocalImages: true,
      cwd: this.compose.projectDirectory,
      env: this.compose.env,
    });
  }

  private run(
    args: readonly string[],
    options: Pick<ProcessOptions, "timeoutMs" | "signal" | "stdoutFile" | "captureLimit">,
  ): Promise<ProcessResult> {
    return this.docker.run(args, { ...options, cwd: this.compose.projectDirectory, env: this.compose.env });
  }
}

/**
 * The one teardown of a compose project, for the end of a test, a retry, the
 * post step and cancellation. With a stop timeout of 0 every container is
 * SIGKILLed first: a throw-away environment's state is discarded anyway, and
 * a service that ignores SIGTERM (a shell entrypoint) would hold `down` for
 * its whole stop timeout. Then `down` removes containers, networks and
 * volumes. By project name alone compose finds the containers by their
 * project label, so this works without the compose files (in a post step,
 * after the temporary files are gone). Never throws: a missing docker binary
 * comes back as a failed command for the caller to report.
 */
export async function tearDownComposeProject(
  docker: Docker,
  scope: ComposeScope,
  options: {
    stopTimeoutSeconds: number;
    removeLocalImages?: boolean;
    cwd?: string;
    env?: Readonly<Record<string, string>>;
  },
): Promise<ProcessResult> {
  const run = { cwd: options.cwd, env: options.env };
  const down = composeDownArgs(scope, options);
  try {
    // A failed kill is down's to report: down removes what is left either way.
    if (options.stopTimeoutSeconds === 0)
      await docker.run(composeKillArgs(scope), { ...run, timeoutMs: 2 * MINUTE });
    return await docker.run(down, { ...run, timeoutMs: options.stopTimeoutSeconds * 1000 + 2 * MINUTE });
  } catch (error) {
    return {
      command: docker.binary,
      args: down,
      exitCode: 127,
      stdout: "",
      stderr: error instanceof Error ? error.message : String(error),
      timedOut: false,
      durationMs: 0,
    };
  }
}

/** Removes ANSI sequences from a text stream, also those split across chunks. */
export class AnsiStripper extends Transform {
  private carry = "";
  constructor() {
    super({ decodeStrings: false, encoding: "utf8" });
  }
  override _transform(chunk: string | Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const stripped = stripAnsiChunk(this.carry + String(chunk));
    this.carry = stripped.carry;
    callback(null, stripped.text);
  }
  override _flush(callback: TransformCallback): void {
    callback(null, this.carry);
  }
}
