import {
  type BindMount,
  type BuilderContainerSpec,
  builderExecArgs,
  builderRunArgs,
  containerByNameArgs,
  containerRemoveArgs,
  type Docker,
} from "./docker.js";
import { describeFailure, ProcessError, type ProcessResult } from "./process.js";

/** The writable folders Go needs, outside the workspace so nothing but build output lands there. */
export interface GoFolders {
  home: string;
  /** GOCACHE */
  build: string;
  /** GOMODCACHE */
  mod: string;
}

export interface GoContainerOptions {
  docker: Docker;
  image: string;
  /** The container carries `io.goflow.run=<runId>`, and its name holds the id. */
  runId: string;
  /** Bind-mounted read-write at the same absolute path, so compiler paths match the host's. */
  mountRoot: string;
  /** The module folder (inside mountRoot): the working directory of every command. */
  workdir: string;
  /** The caller's uid:gid, so files the container writes belong to the caller; undefined where there is none. */
  user: { uid: number; gid: number } | undefined;
  folders: GoFolders;
  /** A folder mounted read-write at its own path, where builds beside the tests write their binaries. */
  stagingDir?: string;
  /** A .netrc on the host, mounted read-only as `<home>/.netrc` for private modules. */
  netrcFile?: string;
  /** Environment of every command (GOFLAGS, CGO_ENABLED, ...), given on the command line. */
  env: Record<string, string>;
  /**
   * Environment of every command taken from the caller (GOPROXY, HTTPS_PROXY, ...):
   * handed to the docker client's own environment and named with `--env NAME`,
   * so a value (a proxy URL with credentials) never shows on a command line.
   */
  passedEnv?: Record<string, string>;
  /** `--network` of the container: host, bridge, none or a user-defined network. */
  network: string;
  /** Aborted when the run is cancelled: kills the exec clients and removes the container. */
  signal?: AbortSignal;
}

export interface GoRunOptions {
  /** Added to (and overriding) the container's environment for this command (GOOS, GOARCH, ...). */
  env?: Record<string, string>;
  timeoutMs?: number;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

const HOUR = 60 * 60_000;
/** GitHub's own job limit: the container's sleep ends then even if nothing removed it. */
const LIFETIME_SECONDS = 6 * 60 * 60;
const REMOVAL_ATTEMPTS = 50;

/**
 * The builder container of one run: started once (detached, labelled, the
 * workspace and Go folders mounted at their host paths, as the caller's
 * user), every Go command `docker exec`'d into it, removed at the end.
 * A `docker exec` client that is killed leaves its command running inside,
 * so cancellation removes the whole container.
 */
export class GoContainer {
  readonly name: string;
  private removal: Promise<void> | undefined;
  private readonly stopOnAbort = () => void this.remove();

  private constructor(readonly options: GoContainerOptions) {
    this.name = builderContainerName(options.runId);
  }

  /**
   * Starts the container. The `docker run` client is not aborted midway (a
   * killed client may still leave a container behind): a cancel that comes
   * during the start removes the container once it is up, then throws.
   */
  static async start(options: GoContainerOptions): Promise<GoContainer> {
    const container = new GoContainer(options);
    const { docker, signal } = options;
    signal?.throwIfAborted();
    const result = await docker.run(builderRunArgs(builderContainerSpec(options)), {
      env: options.passedEnv,
      timeoutMs: 5 * 60_000,
    });
    if (result.exitCode !== 0 || result.timedOut) {
      await container.remove();
      throw new ProcessError(
        `could not start the builder container (${describeFailure(result)}); the builder image must have \`sleep\`, which keeps the container up between the Go commands`,
        result,
      );
    }
    signal?.addEventListener("abort", container.stopOnAbort, { once: true });
    if (signal?.aborted) {
      await container.remove();
      signal.throwIfAborted();
    }
    return container;
  }

  /**
   * Runs `args` (e.g. `["go", "vet", "./..."]`) in the container and returns
   * the result whatever the exit code. Faults of docker or the image (the
   * container is gone, the command is missing, a timeout) throw instead: they
   * are never findings in the Go code.
   */
  async run(args: readonly string[], options: GoRunOptions = {}): Promise<ProcessResult> {
    const result = await this.options.docker.run(builderExecArgs(this.name, args, options.env), {
      timeoutMs: options.timeoutMs ?? HOUR,
      onStdout: options.onStdout,
      onStderr: options.onStderr,
      signal: this.options.signal,
    });
    if (isDockerExecFault(result)) throw new ProcessError(describeFailure(result), result);
    return result;
  }

  /**
   * Kills and removes the container, then looks until it is listed no more;
   * once per container (later calls share the first). Never throws: removal
   * must not hide the result that came before it.
   */
  remove(): Promise<void> {
    this.options.signal?.removeEventListener("abort", this.stopOnAbort);
    this.removal ??= this.removeUntilGone();
    return this.removal;
  }

  private async removeUntilGone(): Promise<void> {
    const { docker } = this.options;
    for (let attempt = 0; attempt < REMOVAL_ATTEMPTS; attempt++) {
      const removed = await docker
        .run(containerRemoveArgs([this.name]), { timeoutMs: 60_000 })
        .catch(() => undefined);
      if (removed?.exitCode === 0 || removed?.stderr.includes("No such container")) return;
      // Most often `--rm` is removing it already, which `rm --force` cannot hurry: look again.
      const listed = await docker
        .run(containerByNameArgs(this.name), { timeoutMs: 30_000 })
        .catch(() => undefined);
      if (listed?.exitCode === 0 && listed.stdout.trim() === "") return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Unique on the host, as the run id is: a cancel finds the container by it before `run` printed an id. */
export function builderContainerName(runId: string): string {
  return `goflow-go-${runId}`;
}

/** The builder container's `docker run`; exported so tests and benchmarks start exactly this. */
export function builderContainerSpec(options: GoContainerOptions): BuilderContainerSpec {
  const { folders } = options;
  const mounts: BindMount[] = [
    { source: options.mountRoot, target: options.mountRoot },
    { source: folders.home, target: folders.home },
    { source: folders.build, target: folders.build },
    { source: folders.mod, target: folders.mod },
  ];
  if (options.stagingDir) mounts.push({ source: options.stagingDir, target: options.stagingDir });
  if (options.netrcFile)
    mounts.push({ source: options.netrcFile, target: `${folders.home}/.netrc`, readonly: true });
  return {
    name: builderContainerName(options.runId),
    image: options.image,
    runId: options.runId,
    user: options.user,
    network: options.network,
    mounts,
    workdir: options.workdir,
    env: { ...options.env, HOME: folders.home, GOCACHE: folders.build, GOMODCACHE: folders.mod },
    passedEnvNames: Object.keys(options.passedEnv ?? {}),
    lifetimeSeconds: LIFETIME_SECONDS,
  };
}

/**
 * `docker exec` exits 126/127 when the command cannot be run or is missing
 * from the image; the client says "Error response from daemon" (exit 1) when
 * the container is gone; a timeout is the environment's too.
 */
export function isDockerExecFault(result: Pick<ProcessResult, "exitCode" | "stderr" | "timedOut">): boolean {
  if (result.timedOut || [125, 126, 127].includes(result.exitCode)) return true;
  return result.exitCode !== 0 && result.stderr.startsWith("Error response from daemon:");
}
