import { type Docker, RUN_LABEL } from "./docker.js";
import type { ProcessResult } from "./process.js";

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
  /** Every container carries `io.goflow.run=<runId>`, so a cancelled run can remove them all. */
  runId: string;
  /** Bind-mounted read-write at the same absolute path, so compiler paths match the host's. */
  mountRoot: string;
  /** The module folder (inside mountRoot): the working directory of every command. */
  workdir: string;
  /** The caller's uid:gid, so files the container writes belong to the caller; undefined where there is none. */
  user: { uid: number; gid: number } | undefined;
  folders: GoFolders;
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
  /** `--network` of every container: host, bridge, none or a user-defined network. */
  network: string;
  /** Aborted when the run is cancelled: stops the `docker run` clients still starting containers. */
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

/**
 * Runs Go commands in throw-away containers of the builder image: one
 * `docker run --rm` per command, the workspace and the Go folders mounted at
 * their host paths, as the caller's user.
 */
export class GoContainer {
  constructor(readonly options: GoContainerOptions) {}

  /** Runs `args` (e.g. `["go", "vet", "./..."]`) and returns the result whatever the exit code. */
  run(args: readonly string[], options: GoRunOptions = {}): Promise<ProcessResult> {
    return this.options.docker.run(this.dockerArgs(args, options.env), {
      env: this.options.passedEnv,
      timeoutMs: options.timeoutMs ?? HOUR,
      onStdout: options.onStdout,
      onStderr: options.onStderr,
      signal: this.options.signal,
    });
  }

  /** The full `docker` argument list for a command; exposed so tests and benchmarks run exactly this. */
  dockerArgs(args: readonly string[], extraEnv: Record<string, string> = {}): string[] {
    const { folders, user } = this.options;
    const env: Record<string, string> = {
      ...this.options.env,
      HOME: folders.home,
      GOCACHE: folders.build,
      GOMODCACHE: folders.mod,
      ...extraEnv,
    };
    const mounts = [
      bindMount(this.options.mountRoot, this.options.mountRoot),
      bindMount(folders.home, folders.home),
      bindMount(folders.build, folders.build),
      bindMount(folders.mod, folders.mod),
    ];
    if (this.options.netrcFile)
      mounts.push(bindMount(this.options.netrcFile, `${folders.home}/.netrc`, true));
    return [
      "run",
      "--rm",
      // ensureImage already found or pulled it; a run must never fetch a different image.
      "--pull",
      "never",
      "--label",
      `${RUN_LABEL}=${this.options.runId}`,
      ...(user ? ["--user", `${user.uid}:${user.gid}`] : []),
      "--network",
      this.options.network,
      ...mounts.flatMap((mount) => ["--mount", mount]),
      "--workdir",
      this.options.workdir,
      ...Object.keys(this.options.passedEnv ?? {})
        .filter((name) => !(name in env))
        .flatMap((name) => ["--env", name]),
      ...Object.entries(env).flatMap(([name, value]) => ["--env", `${name}=${value}`]),
      // The image's entrypoint (if any) is bypassed: the command is exactly `args`.
      "--entrypoint",
      args[0] ?? "go",
      this.options.image,
      ...args.slice(1),
    ];
  }

  /** Removes every container of this run (a cancelled run); never throws. */
  removeAll(): Promise<{ removed: string[]; errors: string[] }> {
    return this.options.docker.removeLabelled(this.options.runId);
  }
}

/**
 * `--mount` takes CSV, so a path with a comma or a quote is quoted; unlike
 * `-v`, a missing source fails instead of being created as a root-owned folder.
 */
export function bindMount(source: string, target: string, readonly = false): string {
  const field = (text: string) => (/[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [
    "type=bind",
    field(`source=${source}`),
    field(`target=${target}`),
    ...(readonly ? ["readonly"] : []),
  ].join(",");
}

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * A cancelled job gets SIGINT, then SIGTERM: abort the `docker run` clients
 * (so none starts a container after the clean-up), remove this run's
 * containers by label (a killed client leaves its container running) and
 * exit with the signal's code. Returns a function that uninstalls the handlers.
 */
export function removeContainersOnCancel(
  docker: Docker,
  runId: string,
  options: { controller?: AbortController; onCancel?: (signal: NodeJS.Signals) => void } = {},
): () => void {
  let cancelling = false;
  const handler = (signal: NodeJS.Signals) => {
    if (cancelling) return;
    cancelling = true;
    options.onCancel?.(signal);
    options.controller?.abort();
    void removeUntilGone(docker, runId).finally(() => process.exit(SIGNAL_EXIT_CODES[signal] ?? 1));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

/**
 * A container whose client was just killed may be in the middle of its own
 * `--rm` removal, which `rm -f` cannot hurry: remove, then look again until
 * none is listed (at most ~10 s).
 */
async function removeUntilGone(docker: Docker, runId: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await docker.removeLabelled(runId);
    const left = await docker.listLabelled(runId).catch(() => undefined);
    if (!left || left.containers.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
