import { randomBytes } from "node:crypto";
import { ConfigurationError } from "../errors.js";
import { PROJECT_CONTAINERS_FORMAT } from "../rules/compose/index.js";
import { lastLines } from "../rules/format.js";
import {
  describeFailure,
  ProcessError,
  type ProcessOptions,
  type ProcessResult,
  runProcess,
  runProcessChecked,
} from "./process.js";

/** Every container, network and volume a run creates carries this label; cleanup finds them by it. */
export const RUN_LABEL = "io.goflow.run";

/** A run id unique on this host: readable parts plus randomness, safe as a label value and in names. */
export function createRunId(parts: { runId?: string; runAttempt?: number } = {}): string {
  const prefix = parts.runId ? `${parts.runId}-${parts.runAttempt ?? 1}-` : "local-";
  return `${prefix}${randomBytes(4).toString("hex")}`;
}

export interface DockerOptions {
  /** The docker CLI to run; tests and users may point at another binary. */
  binary?: string;
  /** Extra environment for every docker call (DOCKER_HOST, DOCKER_CONFIG, ...). */
  env?: Record<string, string | undefined>;
}

/**
 * Typed docker commands on top of the process wrapper. Only argument arrays;
 * every call has a timeout.
 */
export class Docker {
  readonly binary: string;
  private readonly env: Record<string, string | undefined>;

  constructor(options: DockerOptions = {}) {
    this.binary = options.binary ?? "docker";
    this.env = options.env ?? {};
  }

  /** Runs `docker <args>` and returns the result whatever the exit code. */
  run(args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
    return runProcess(this.binary, args, { ...options, env: { ...this.env, ...options.env } });
  }

  /** Runs `docker <args>` and throws a ProcessError naming the command when it fails. */
  checked(args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
    return runProcessChecked(this.binary, args, { ...options, env: { ...this.env, ...options.env } });
  }

  /** Fails with what to do when the engine cannot be reached, before anything else runs. */
  async ensureReachable(): Promise<void> {
    let result: ProcessResult;
    try {
      result = await this.run(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 30_000 });
    } catch (error) {
      throw new ConfigurationError(
        `Docker is not installed: ${error instanceof Error ? error.message : String(error)}. Install Docker Engine with the Compose v2 plugin.`,
      );
    }
    if (result.exitCode !== 0 || result.timedOut) {
      const detail = lastLines(result.stderr || result.stdout, 3, " ");
      throw new ConfigurationError(
        `Docker is not reachable (${detail || "no answer"}). Start the engine (for example \`sudo systemctl start docker\`), check that your user may use it (the docker group), or set DOCKER_HOST.`,
      );
    }
  }

  async imageExists(reference: string): Promise<boolean> {
    const result = await this.run(["image", "inspect", "--format", "{{.Id}}", reference], {
      timeoutMs: 60_000,
    });
    return result.exitCode === 0;
  }

  /** Fails before any container starts when a user-defined network (`inputName`) does not exist. */
  async ensureNetwork(name: string, inputName: string): Promise<void> {
    const result = await this.run(["network", "inspect", "--format", "{{.Name}}", name], {
      timeoutMs: 30_000,
    });
    if (result.exitCode === 0) return;
    throw new ConfigurationError(
      `${inputName} '${name}': there is no Docker network of that name. Create it first (docker network create ${name}), or use host, bridge or none.`,
    );
  }

  /** Uses a local image when there is one, else pulls it; says which input to fix when neither works. */
  async ensureImage(reference: string, inputName: string): Promise<void> {
    if (await this.imageExists(reference)) return;
    const pulled = await this.run(["pull", reference], { timeoutMs: 15 * 60_000 });
    if (pulled.exitCode === 0) return;
    const detail = lastLines(pulled.stderr || pulled.stdout, 2, " ");
    throw new ConfigurationError(
      `${inputName} '${reference}' is not available locally and could not be pulled (${detail}). Check the image name and tag, or log in to its registry first.`,
    );
  }

  /**
   * Removes every container, network and volume carrying `label=value`, in
   * the order that lets each go (containers hold networks and volumes).
   * Returns what was removed; never throws, because cleanup must not hide the
   * result that came before it.
   */
  async removeLabelled(value: string, label = RUN_LABEL): Promise<{ removed: string[]; errors: string[] }> {
    const filter = `label=${label}=${value}`;
    const removed: string[] = [];
    const errors: string[] = [];
    const kinds: { list: string[]; remove: string[] }[] = [
      { list: ["ps", "-aq", "--filter", filter], remove: ["rm", "-f", "-v"] },
      { list: ["network", "ls", "-q", "--filter", filter], remove: ["network", "rm"] },
      { list: ["volume", "ls", "-q", "--filter", filter], remove: ["volume", "rm", "-f"] },
    ];
    for (const kind of kinds) {
      try {
        const listed = await this.checked(kind.list, { timeoutMs: 60_000 });
        const ids = listed.stdout
          .split("\n")
          .map((s) => s.trim())
          .filter(Boolean);
        if (ids.length === 0) continue;
        const result = await this.run([...kind.remove, ...ids], { timeoutMs: 120_000 });
        if (result.exitCode === 0) removed.push(...ids);
        else errors.push(describeFailure(result));
      } catch (error) {
        errors.push(error instanceof ProcessError ? error.message : String(error));
      }
    }
    return { removed, errors };
  }

  /**
   * Removes images carrying `label=value` (what a test run built for itself);
   * never throws. Kept apart from {@link removeLabelled}: other stages label
   * images they are meant to leave behind.
   */
  async removeLabelledImages(
    value: string,
    label = RUN_LABEL,
  ): Promise<{ removed: string[]; errors: string[] }> {
    try {
      const listed = await this.checked(
        ["image", "ls", "--quiet", "--no-trunc", "--filter", `label=${label}=${value}`],
        { timeoutMs: 60_000 },
      );
      const ids = [...new Set(listed.stdout.split("\n").map((s) => s.trim()))].filter(Boolean);
      return await this.removeImages(ids, true);
    } catch (error) {
      return { removed: [], errors: [error instanceof ProcessError ? error.message : String(error)] };
    }
  }

  /** `docker image rm` of these references (with `force`, also when other tags name them); never throws. */
  async removeImages(
    references: readonly string[],
    force = false,
  ): Promise<{ removed: string[]; errors: string[] }> {
    if (references.length === 0) return { removed: [], errors: [] };
    const result = await this.run(["image", "rm", ...(force ? ["--force"] : []), ...references], {
      timeoutMs: 120_000,
    });
    if (result.exitCode === 0) return { removed: [...references], errors: [] };
    return { removed: [], errors: [describeFailure(result)] };
  }

  /** Lists what still carries the label: a test's proof that nothing was left behind. */
  async listLabelled(
    value: string,
    label = RUN_LABEL,
  ): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
    const filter = `label=${label}=${value}`;
    const list = async (args: string[]) =>
      (await this.checked(args)).stdout
        .split("\n")
        .map((s) => s.trim())
        .filter(Boolean);
    return {
      containers: await list(["ps", "-aq", "--filter", filter]),
      networks: await list(["network", "ls", "-q", "--filter", filter]),
      volumes: await list(["volume", "ls", "-q", "--filter", filter]),
    };
  }
}

// ── Go builder containers (go-build) ─────────────────────────────────────────
// One detached container per run; every Go command is `docker exec`'d into it.

/** A `--mount type=bind`: the source must exist (unlike `-v`, nothing is created as root). */
export interface BindMount {
  source: string;
  target: string;
  readonly?: boolean;
}

export interface BuilderContainerSpec {
  /** Unique on the host (it holds the run id), so a cancel can remove it before `run` printed an id. */
  name: string;
  image: string;
  /** Labels the container `io.goflow.run=<runId>`. */
  runId: string;
  /** The caller's uid:gid, inherited by every exec; undefined: the image's user. */
  user: { uid: number; gid: number } | undefined;
  network: string;
  mounts: readonly BindMount[];
  /** The working directory of the container, inherited by every exec. */
  workdir: string;
  /** Written on the command line: never a secret. */
  env: Record<string, string>;
  /** Named with `--env NAME`: the values come from the docker client's own environment. */
  passedEnvNames: readonly string[];
  /**
   * The container's own process sleeps this long, then exits and `--rm` removes it: a runner
   * killed outright (no cleanup) leaves nothing running past the job's own limit.
   */
  lifetimeSeconds: number;
}

/**
 * `--mount` takes CSV, so a path with a comma or a quote is quoted; unlike
 * `-v`, a missing source fails instead of being created as a root-owned folder.
 */
export function bindMount(mount: BindMount): string {
  const field = (text: string) => (/[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [
    "type=bind",
    field(`source=${mount.source}`),
    field(`target=${mount.target}`),
    ...(mount.readonly ? ["readonly"] : []),
  ].join(",");
}

/** `docker run --detach` of the builder container: the image's entrypoint is bypassed for `sleep`. */
export function builderRunArgs(spec: BuilderContainerSpec): string[] {
  return [
    "run",
    "--detach",
    "--rm",
    // ensureImage already found or pulled it; a run must never fetch a different image.
    "--pull",
    "never",
    "--name",
    spec.name,
    "--label",
    `${RUN_LABEL}=${spec.runId}`,
    ...(spec.user ? ["--user", `${spec.user.uid}:${spec.user.gid}`] : []),
    "--network",
    spec.network,
    ...spec.mounts.flatMap((mount) => ["--mount", bindMount(mount)]),
    "--workdir",
    spec.workdir,
    ...spec.passedEnvNames.filter((name) => !(name in spec.env)).flatMap((name) => ["--env", name]),
    ...Object.entries(spec.env).flatMap(([name, value]) => ["--env", `${name}=${value}`]),
    "--entrypoint",
    "sleep",
    spec.image,
    String(spec.lifetimeSeconds),
  ];
}

/** `docker exec` of one command (exactly `args`, no shell), with `env` added for it alone. */
export function builderExecArgs(
  container: string,
  args: readonly string[],
  env: Record<string, string> = {},
): string[] {
  return [
    "exec",
    ...Object.entries(env).flatMap(([name, value]) => ["--env", `${name}=${value}`]),
    container,
    ...args,
  ];
}

/** `docker rm --force`: kills what still runs in the containers (their exec'd commands too) and removes them. */
export function containerRemoveArgs(containers: readonly string[]): string[] {
  return ["rm", "--force", "--volumes", ...containers];
}

/** `docker ps` of the container of exactly this name, running or not: how removal proves it is gone. */
export function containerByNameArgs(name: string): string[] {
  return ["ps", "--all", "--quiet", "--filter", `name=^${name}$`];
}

// ---------------------------------------------------------------------------
// Compose, build and image commands: the argument lists, as small pure
// functions (unit-tested in test/runtime/docker.test.ts), for runtime/compose.ts
// and the docker-package stage to run. Values are separate arguments, never
// shell text.
// ---------------------------------------------------------------------------

/** Which compose project a command is about: by name alone (compose finds it by its label) or with its files. */
export interface ComposeScope {
  /** `--project-name`; without it compose derives one from the folder (only for `config`). */
  project?: string;
  /** `--project-directory`: relative paths in the files resolve against it. */
  projectDirectory?: string;
  /** Absolute paths, in `--file` order. */
  files?: readonly string[];
  /** `--profile '*'`: every profile enabled. */
  allProfiles?: boolean;
}

/** `docker compose` with the scope's options before the subcommand; logs go to files and CI logs, so no colours. */
export function composeArgs(scope: ComposeScope, subcommand: readonly string[]): string[] {
  return [
    "compose",
    "--ansi",
    "never",
    ...(scope.allProfiles ? ["--profile", "*"] : []),
    ...(scope.project === undefined ? [] : ["--project-name", scope.project]),
    ...(scope.projectDirectory === undefined ? [] : ["--project-directory", scope.projectDirectory]),
    ...(scope.files ?? []).flatMap((file) => ["--file", file]),
    ...subcommand,
  ];
}

/** The merged, interpolated model as JSON. */
export function composeConfigArgs(scope: ComposeScope): string[] {
  return composeArgs(scope, ["config", "--format", "json"]);
}

/** Creates and starts the containers in the background; never builds (that is done first, on its own budget). */
export function composeUpArgs(scope: ComposeScope): string[] {
  return composeArgs(scope, ["up", "--detach", "--quiet-pull", "--no-build"]);
}

/** Builds these services, with plain progress for a log. */
export function composeBuildArgs(scope: ComposeScope, services: readonly string[]): string[] {
  return composeArgs(scope, ["--progress", "plain", "build", ...services]);
}

/** The host address a container port is published on. */
export function composePortArgs(scope: ComposeScope, service: string, containerPort: number): string[] {
  return composeArgs(scope, ["port", service, String(containerPort)]);
}

/** Runs a command in a service's container, without a TTY; the command's words stay as they are. */
export function composeExecArgs(scope: ComposeScope, service: string, command: readonly string[]): string[] {
  return composeArgs(scope, ["exec", "-T", service, ...command]);
}

/**
 * Every container of the project, also stopped ones, but not one-off `run`
 * containers, as `docker compose ps --all` lists them: through `docker ps`
 * and compose's labels, which costs a tenth (see parseProjectContainers).
 */
export function projectContainersArgs(project: string): string[] {
  return [
    "ps",
    "--all",
    "--filter",
    `label=com.docker.compose.project=${project}`,
    "--filter",
    "label=com.docker.compose.oneoff=False",
    "--format",
    PROJECT_CONTAINERS_FORMAT,
  ];
}

/** The logs of the services (all without any), whole with timestamps, or their last `tail` lines. */
export function composeLogsArgs(
  scope: ComposeScope,
  options: { tail?: number; services?: readonly string[] } = {},
): string[] {
  const shape = options.tail === undefined ? ["--timestamps"] : ["--tail", String(options.tail)];
  return composeArgs(scope, ["logs", "--no-color", ...shape, ...(options.services ?? [])]);
}

/** SIGKILL for every container of the project, orphans too. */
export function composeKillArgs(scope: ComposeScope): string[] {
  return composeArgs(scope, ["kill", "--remove-orphans"]);
}

/** Removes containers, networks and volumes; `removeLocalImages` also the images compose built under its default names. */
export function composeDownArgs(
  scope: ComposeScope,
  options: { stopTimeoutSeconds: number; removeLocalImages?: boolean },
): string[] {
  return composeArgs(scope, [
    "down",
    "--volumes",
    "--remove-orphans",
    ...(options.removeLocalImages ? ["--rmi", "local"] : []),
    "--timeout",
    String(options.stopTimeoutSeconds),
  ]);
}

/** What `docker build` is given: the stage's settings, already validated. */
export interface ImageBuild {
  dockerfile: string;
  context: string;
  target: string | undefined;
  /** In order; docker keeps the last of a repeated key. */
  buildArgs: readonly (readonly [string, string])[];
  labels: Readonly<Record<string, string>>;
  references: readonly string[];
  platform: string | undefined;
  /** Where docker writes the built image's id. */
  iidfile: string;
}

/** `docker build` with every setting as its own argument and the context last. */
export function dockerBuildArgs(build: ImageBuild): string[] {
  const args = ["build", "--file", build.dockerfile, "--iidfile", build.iidfile];
  if (build.platform) args.push("--platform", build.platform);
  if (build.target) args.push("--target", build.target);
  for (const [key, value] of build.buildArgs) args.push("--build-arg", `${key}=${value}`);
  for (const [key, value] of Object.entries(build.labels)) args.push("--label", `${key}=${value}`);
  for (const reference of build.references) args.push("--tag", reference);
  args.push(build.context);
  return args;
}

/** Writes the images to an archive (`docker load` reads it back). */
export function dockerSaveArgs(archive: string, references: readonly string[]): string[] {
  return ["save", "--output", archive, ...references];
}

export function dockerLoadArgs(archive: string): string[] {
  return ["load", "--input", archive];
}

export function dockerTagArgs(source: string, target: string): string[] {
  return ["tag", source, target];
}

export function dockerPushArgs(reference: string): string[] {
  return ["push", reference];
}

/** The password goes on stdin, never on the command line. */
export function dockerLoginArgs(registry: string, username: string): string[] {
  return ["login", registry, "--username", username, "--password-stdin"];
}

export function dockerLogoutArgs(registry: string): string[] {
  return ["logout", registry];
}

/** The image's id (`sha256:…`). */
export function imageIdArgs(reference: string): string[] {
  return ["image", "inspect", "--format", "{{.Id}}", reference];
}

/** The image's repository digests as a JSON list (`["repo@sha256:…"]`). */
export function repoDigestsArgs(reference: string): string[] {
  return ["image", "inspect", "--format", "{{json .RepoDigests}}", reference];
}

/** The ids of every network on the engine. */
export function networkIdsArgs(): string[] {
  return ["network", "ls", "--quiet"];
}

/** The IPv4/IPv6 subnets of these networks, space-separated. */
export function networkSubnetsArgs(ids: readonly string[]): string[] {
  return ["network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", ...ids];
}

/**
 * A throw-away root container that removes `folder` (which containers wrote
 * into as root): no network, the image as it is locally, the parent folder
 * mounted, labelled with the run.
 */
export function removeFolderAsRootArgs(
  folder: { parent: string; name: string },
  image: string,
  runLabel: string,
): string[] {
  return [
    "run",
    "--rm",
    "--label",
    `${RUN_LABEL}=${runLabel}`,
    "--network",
    "none",
    "--user",
    "0:0",
    "--pull",
    "never",
    "--entrypoint",
    "rm",
    "--volume",
    `${folder.parent}:/goflow-cleanup`,
    image,
    "-rf",
    `/goflow-cleanup/${folder.name}`,
  ];
}
