import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from "node:fs";
import { chmod, writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { formatBytes, lastLines } from "../../rules/format.js";
import {
  computeImageTags,
  decidePush,
  type GitflowResult,
  imageReferences,
  normalizeImageName,
  parseRef,
  sanitizeExtraTags,
} from "../../rules/gitflow/index.js";
import type { ArtifactStore } from "../../runtime/artifact.js";
import type { Docker } from "../../runtime/docker.js";
import { describeFailure, ProcessError, type ProcessOptions } from "../../runtime/process.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";
import { StateKey, type StateStore } from "../../runtime/state.js";
import { gitflowInputOf } from "../gitflow-input.js";
import { openArtifactStore, type StageRuntime, settleCancelled } from "../stage-contract.js";
import { buildTime, computeImageLabels } from "./labels.js";
import type { PackageOptions } from "./options.js";
import { type PackageResult, renderPackageSummary } from "./report.js";

export type { PackageResult };

import { listVersionTags, type VersionTagSource } from "./version-tags.js";

/**
 * The stage's outcome: the packaged image when ok. A docker command that
 * fails throws (ProcessError), as do inputs the user must fix.
 */
export type PackageStageResult =
  | { status: "ok"; failure: undefined; packaged: PackageResult }
  | { status: "cancelled"; failure: string; packaged: undefined };

/** What the steps below run with: the stage runtime, its artifact store opened when the options need one. */
export interface PackageRuntime {
  reporter: Reporter;
  docker: Docker;
  context: RunContext;
  artifacts: ArtifactStore;
  /** Records the registry login so the post step (or the CLI's cleanup) logs out of it. */
  state: StateStore;
  /** Cancels the long commands (build, save, load, push): the stage then fails, never succeeds. */
  signal?: AbortSignal;
}

/** The files of a save-artifact archive. */
export const IMAGE_ARCHIVE = "image.tar";
export const IMAGE_METADATA = "image.json";

interface ImageMetadata {
  imageId: string;
  references: string[];
  version: string;
  channel: string;
  revision: string;
}

interface LoginPlan {
  registry: string;
  username: string;
  password: string;
}

const MINUTE = 60_000;

/**
 * Packages an image: validates everything first (engine, image name, files,
 * tags, push decision, credentials), then logs in when it will push, downloads
 * the go-build binaries, builds (or loads the archive a previous job saved),
 * saves it as an artifact when asked, and pushes when the decision says so.
 */
export function runPackageStage(options: PackageOptions, runtime: StageRuntime): Promise<PackageStageResult> {
  return settleCancelled<PackageStageResult>(
    runtime.signal,
    async () => {
      const artifacts = await packageArtifacts(options, runtime);
      const packaged = await packageImage(options, { ...runtime, artifacts });
      return { status: "ok", failure: undefined, packaged };
    },
    () => ({
      status: "cancelled",
      failure: "cancelled: docker-package stopped before its work finished",
      packaged: undefined,
    }),
  );
}

/** The artifact client is slow to load and absent locally: opened only when the options name an artifact. */
async function packageArtifacts(options: PackageOptions, runtime: StageRuntime): Promise<ArtifactStore> {
  if (options.artifactName || options.saveArtifact || options.loadArtifact) return openArtifactStore(runtime);
  const unused = () =>
    Promise.reject(new Error("no artifact input is set, so docker-package hands no artifacts"));
  return { kind: "local", upload: unused, download: unused };
}

async function packageImage(options: PackageOptions, runtime: PackageRuntime): Promise<PackageResult> {
  const { reporter, docker, context } = runtime;
  if (options.password) reporter.setSecret(options.password);
  if (options.githubToken) reporter.setSecret(options.githubToken);

  await docker.ensureReachable();
  const image = normalizeImageName(options.image);
  const platform = validatePlatforms(options.platforms);
  if (options.loadArtifact && options.artifactName) {
    throw new ConfigurationError(
      `artifact-name '${options.artifactName}' and load-artifact '${options.loadArtifact}' are both set; load-artifact publishes an image that was already built, so there are no binaries to add: remove artifact-name`,
    );
  }
  if (!options.loadArtifact) validateBuildFiles(options);
  else warnIgnoredBuildSettings(options, reporter);

  const gitflow = await computeTags(options, runtime);
  const tags = chooseTags(options, gitflow);
  const references = imageReferences(image, tags);
  const decision = decidePush(options.push, gitflow);
  const pushNow = decision.push && !options.deferPush;
  const login = planLogin(options, image, pushNow, reporter);

  reporter.info(`version ${gitflow.version} (channel ${gitflow.channel})`);
  reporter.info(`tags: ${references.join(", ")}`);
  reporter.info(
    `push: ${decision.push ? "yes" : "no"} (${decision.reason})${decision.push && options.deferPush ? "; deferred to a later job (defer-push)" : ""}`,
  );

  // Logging in before the build finds a wrong password before a long build,
  // and lets the build pull private base images from the same registry.
  if (login) await loginRegistry(docker, login, runtime.state, reporter);
  if (options.artifactName) await downloadBinaries(options.artifactName, options.context, runtime);

  let imageId: string;
  let labels: Record<string, string> = {};
  if (options.loadArtifact) {
    imageId = await loadImage(options.loadArtifact, references, runtime, gitflow);
  } else {
    const created = buildTime(options.sourceDateEpoch, () => new Date());
    labels = computeImageLabels(
      context,
      { version: gitflow.version, channel: gitflow.channel, created },
      options.labels,
    );
    imageId = await buildImage(options, { references, labels, platform }, runtime);
  }
  if (options.saveArtifact) {
    await saveImage(options.saveArtifact, { imageId, references, gitflow }, runtime);
  }

  let digest: string | undefined;
  if (pushNow) digest = await pushImage(image, references, docker, reporter, runtime.signal);

  const result: PackageResult = {
    image,
    version: gitflow.version,
    channel: gitflow.channel,
    tags,
    references,
    imageId,
    digest,
    shouldPush: decision.push,
    pushReason: decision.reason,
    pushed: pushNow,
    labels,
    source: options.loadArtifact ? "artifact" : "build",
  };
  await reporter.appendSummary(renderPackageSummary(result));
  return result;
}

/**
 * Pushes an image this process packaged earlier with `defer-push` (the
 * single-step pipeline: package, test, then publish), logging in first when
 * credentials are given. The caller logs out (the registry is in state).
 */
export async function publishPackagedImage(
  packaged: PackageResult,
  options: PackageOptions,
  runtime: Pick<PackageRuntime, "docker" | "reporter" | "state" | "signal">,
): Promise<PackageResult> {
  const { docker, reporter } = runtime;
  if (!packaged.shouldPush) return packaged;
  const login = planLogin(options, packaged.image, true, reporter);
  if (login) await loginRegistry(docker, login, runtime.state, reporter);
  const digest = await pushImage(packaged.image, packaged.references, docker, reporter, runtime.signal);
  return { ...packaged, digest, pushed: true };
}

/** Logs out of a registry the stage logged in to; never throws, since it runs as cleanup. */
export async function logoutRegistry(docker: Docker, registry: string, reporter: Reporter): Promise<void> {
  try {
    const result = await docker.run(["logout", registry], { timeoutMs: MINUTE });
    if (result.exitCode === 0) reporter.info(`logged out of ${registry}`);
    else reporter.warning(`docker logout ${registry} failed: ${describeFailure(result)}`);
  } catch (error) {
    reporter.warning(`docker logout ${registry} failed: ${error instanceof Error ? error.message : error}`);
  }
}

function validatePlatforms(platforms: readonly string[]): string | undefined {
  if (platforms.length > 1) {
    throw new ConfigurationError(
      `platforms lists ${platforms.length} platforms (${platforms.join(", ")}); this action builds with the runner's Docker engine, which stores one platform per image. Build one platform per job (a matrix over platforms with a platform-specific extra tag), or use docker/build-push-action with a buildx builder for a multi-platform manifest`,
    );
  }
  const platform = platforms[0];
  if (platform !== undefined && !/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/.test(platform)) {
    throw new ConfigurationError(
      `platforms: '${platform}' is not a platform; write os/arch[/variant], e.g. linux/amd64 or linux/arm64`,
    );
  }
  return platform;
}

function validateBuildFiles(options: PackageOptions): void {
  if (!existsSync(options.context) || !statSync(options.context).isDirectory()) {
    throw new ConfigurationError(
      `context '${options.context}' is not a folder; set context (relative to working-directory '${options.workingDirectory}') to the folder the Dockerfile copies from`,
    );
  }
  if (!existsSync(options.dockerfile) || !statSync(options.dockerfile).isFile()) {
    throw new ConfigurationError(
      `Dockerfile '${options.dockerfile}' does not exist; add it, or set dockerfile (relative to working-directory '${options.workingDirectory}') to the file that builds this image`,
    );
  }
}

/** A loaded image is published as it was tested; settings that would change it cannot apply. */
function warnIgnoredBuildSettings(options: PackageOptions, reporter: Reporter): void {
  const ignored = [
    options.buildArgs.length > 0 ? "build-args" : "",
    options.target ? "target" : "",
    Object.keys(options.labels).length > 0 ? "labels" : "",
    options.platforms.length > 0 ? "platforms" : "",
  ].filter(Boolean);
  if (ignored.length > 0) {
    reporter.warning(
      `${ignored.join(", ")} ignored: load-artifact publishes the image saved by the build job as it is; set them there`,
    );
  }
}

async function computeTags(options: PackageOptions, runtime: PackageRuntime): Promise<GitflowResult> {
  const { context } = runtime;
  let versionTags: VersionTagSource = { source: "none", names: [] };
  if (options.explicitTags.length === 0 && decidesLatest(options, context)) {
    versionTags = await listVersionTags({
      repository: context.repository,
      apiUrl: options.apiUrl,
      token: options.githubToken,
      workspace: context.workspace,
      reporter: runtime.reporter,
    });
  }
  return computeImageTags({
    ...gitflowInputOf(context),
    versionTags: versionTags.names,
    settings: options.gitflow,
  });
}

/** Only a version tag with `latest: auto` needs the repository's other tags. */
function decidesLatest(options: PackageOptions, context: RunContext): boolean {
  if ((options.gitflow.latest ?? "auto") !== "auto") return false;
  if (context.eventName.startsWith("pull_request")) return false;
  try {
    return parseRef(context.ref).kind === "tag";
  } catch {
    // computeImageTags reports a bad ref with the full explanation.
    return false;
  }
}

/** The `tags` input replaces the rules' tags; extra-tags are added to every build either way. */
function chooseTags(options: PackageOptions, gitflow: GitflowResult): string[] {
  if (options.explicitTags.length === 0) return gitflow.tags;
  const extra = sanitizeExtraTags(options.gitflow.extraTags ?? []);
  return [...new Set([...options.explicitTags, ...extra])];
}

function planLogin(
  options: PackageOptions,
  image: string,
  pushNow: boolean,
  reporter: Reporter,
): LoginPlan | undefined {
  if (!options.username && !options.registry && !options.password) return undefined;
  if (!pushNow) {
    // Fork pull requests get no secrets; an empty password must not fail a build that pushes nothing.
    reporter.info("not logging in to the registry: nothing is pushed");
    return undefined;
  }
  const registry = options.registry || registryHost(image);
  if (!options.username) {
    throw new ConfigurationError(
      `${options.password ? "password" : `registry '${registry}'`} is set but username is empty; set username (and password) to log in, or remove ${options.password ? "password" : "registry"} to push with the runner's existing login`,
    );
  }
  if (!options.password) {
    throw new ConfigurationError(
      `username '${options.username}' is set for ${registry} but password is empty; pass the registry password or token (e.g. password: \${{ secrets.GITHUB_TOKEN }} for ghcr.io, with permissions: packages: write)`,
    );
  }
  const imageRegistry = registryHost(image);
  if (imageRegistry !== registry.replace(/^https?:\/\//, "").replace(/\/+$/, "")) {
    reporter.warning(`logging in to ${registry}, but the image '${image}' is pushed to ${imageRegistry}`);
  }
  return { registry, username: options.username, password: options.password };
}

/** The registry an image name points at, as docker reads it. */
export function registryHost(image: string): string {
  const first = image.split("/")[0] ?? "";
  const hasHost =
    image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return hasHost ? first : "docker.io";
}

async function loginRegistry(
  docker: Docker,
  login: LoginPlan,
  state: StateStore,
  reporter: Reporter,
): Promise<void> {
  const result = await docker.run(
    ["login", login.registry, "--username", login.username, "--password-stdin"],
    { input: login.password, timeoutMs: 2 * MINUTE },
  );
  if (result.exitCode !== 0 || result.timedOut) {
    const detail = lastLines(result.stderr || result.stdout, 3, " ");
    throw new ConfigurationError(
      `docker login to ${login.registry} as '${login.username}' failed (${detail || "no answer"}); check the registry, username and password (a token needs permission to push packages)`,
    );
  }
  state.save(StateKey.registryLogin, login.registry);
  reporter.info(`logged in to ${login.registry} as ${login.username}`);
}

/** go-build's binaries lose their executable bit in artifacts; executables get it back. */
async function downloadBinaries(name: string, destination: string, runtime: PackageRuntime): Promise<void> {
  await runtime.reporter.group(`download artifact ${name}`, async () => {
    const files = await runtime.artifacts.download(name, destination);
    for (const file of files) {
      const executable = isExecutableFile(file);
      if (executable) await chmod(file, 0o755);
      runtime.reporter.info(`${relative(destination, file)}${executable ? " (executable)" : ""}`);
    }
    if (files.length === 0) {
      throw new ConfigurationError(
        `artifact '${name}' is empty; check that go-build uploaded its binaries under that artifact-name`,
      );
    }
  });
}

/** The line of `docker push`'s stderr saying the registry wants (other) credentials; undefined otherwise. */
export function pushRefusal(stderr: string): string | undefined {
  return stderr
    .split("\n")
    .map((line) => line.trim())
    .find((line) => /no basic auth credentials|unauthorized|authentication required|denied: /i.test(line));
}

/** ELF binaries and `#!` scripts. */
export function isExecutableFile(path: string): boolean {
  const head = Buffer.alloc(4);
  const fd = openSync(path, "r");
  let read: number;
  try {
    read = readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, read);
  return (
    bytes.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) ||
    (bytes.length >= 2 && bytes[0] === 0x23 && bytes[1] === 0x21)
  );
}

export function dockerBuildArgs(
  options: Pick<PackageOptions, "dockerfile" | "target" | "buildArgs" | "context">,
  build: { references: string[]; labels: Record<string, string>; platform: string | undefined },
  iidfile: string,
): string[] {
  const args = ["build", "--file", options.dockerfile, "--iidfile", iidfile];
  if (build.platform) args.push("--platform", build.platform);
  if (options.target) args.push("--target", options.target);
  for (const [key, value] of options.buildArgs) args.push("--build-arg", `${key}=${value}`);
  for (const [key, value] of Object.entries(build.labels)) args.push("--label", `${key}=${value}`);
  for (const reference of build.references) args.push("--tag", reference);
  args.push(options.context);
  return args;
}

async function buildImage(
  options: PackageOptions,
  build: { references: string[]; labels: Record<string, string>; platform: string | undefined },
  runtime: PackageRuntime,
): Promise<string> {
  const scratch = mkdtempSync(join(runtime.context.tempDir, "goflow-package-"));
  try {
    const iidfile = join(scratch, "iid");
    const args = dockerBuildArgs(options, build, iidfile);
    await runtime.reporter.group(`docker build ${build.references[0] ?? ""}`, async () => {
      const live = streamLines(runtime.reporter);
      try {
        await runtime.docker.checked(args, {
          cwd: options.workingDirectory,
          timeoutMs: 60 * MINUTE,
          signal: runtime.signal,
          ...live.options,
        });
      } finally {
        live.flush();
      }
    });
    const imageId = readFileSync(iidfile, "utf8").trim();
    if (!imageId) throw new Error(`docker build wrote no image id to ${iidfile}`);
    runtime.reporter.info(`built ${imageId}`);
    return imageId;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function saveImage(
  name: string,
  image: { imageId: string; references: string[]; gitflow: GitflowResult },
  runtime: PackageRuntime,
): Promise<void> {
  const scratch = mkdtempSync(join(runtime.context.tempDir, "goflow-save-"));
  try {
    await runtime.reporter.group(`save image as artifact ${name}`, async () => {
      const archive = join(scratch, IMAGE_ARCHIVE);
      await runtime.docker.checked(["save", "--output", archive, ...image.references], {
        timeoutMs: 30 * MINUTE,
        signal: runtime.signal,
      });
      const metadata: ImageMetadata = {
        imageId: image.imageId,
        references: image.references,
        version: image.gitflow.version,
        channel: image.gitflow.channel,
        revision: runtime.context.pullRequest?.headSha || runtime.context.sha,
      };
      const metadataFile = join(scratch, IMAGE_METADATA);
      await writeFile(metadataFile, `${JSON.stringify(metadata, null, 2)}\n`);
      const id = await runtime.artifacts.upload(name, [archive, metadataFile], scratch);
      runtime.reporter.info(
        `uploaded ${IMAGE_ARCHIVE} (${formatBytes(statSync(archive).size)}) as artifact ${name} (${id})`,
      );
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function loadImage(
  name: string,
  references: string[],
  runtime: PackageRuntime,
  gitflow: GitflowResult,
): Promise<string> {
  const { docker, reporter, context } = runtime;
  const scratch = mkdtempSync(join(context.tempDir, "goflow-load-"));
  try {
    return await reporter.group(`load image from artifact ${name}`, async () => {
      const files = await runtime.artifacts.download(name, scratch);
      const archive = files.find((file) => basename(file) === IMAGE_ARCHIVE);
      if (!archive) {
        throw new ConfigurationError(
          `artifact '${name}' holds no ${IMAGE_ARCHIVE}; load-artifact takes an artifact written by save-artifact`,
        );
      }
      const metadataFile = files.find((file) => basename(file) === IMAGE_METADATA);
      const metadata = metadataFile ? readMetadata(metadataFile) : undefined;
      const loaded = await docker.checked(["load", "--input", archive], {
        timeoutMs: 30 * MINUTE,
        signal: runtime.signal,
      });
      reporter.info(loaded.stdout.trim());
      const loadedImage = metadata?.imageId ?? parseLoadedImage(loaded.stdout);
      if (!loadedImage) throw new Error(`docker load named no image:\n${loaded.stdout}`);
      const imageId = (
        await docker.checked(["image", "inspect", "--format", "{{.Id}}", loadedImage], { timeoutMs: MINUTE })
      ).stdout.trim();
      const expectedRevision = context.pullRequest?.headSha || context.sha;
      if (metadata && metadata.revision !== expectedRevision) {
        reporter.warning(
          `the image in artifact ${name} was built from ${metadata.revision}, this run is for ${expectedRevision}`,
        );
      }
      if (metadata && metadata.version !== gitflow.version) {
        reporter.warning(
          `the image in artifact ${name} was built as version ${metadata.version}, this run computes ${gitflow.version}`,
        );
      }
      for (const reference of references) {
        await docker.checked(["tag", imageId, reference], { timeoutMs: MINUTE });
      }
      reporter.info(`loaded ${imageId}`);
      return imageId;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readMetadata(path: string): ImageMetadata | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "imageId" in parsed &&
      typeof parsed.imageId === "string"
    ) {
      return parsed as ImageMetadata;
    }
  } catch {
    // Fall back to what docker load says.
  }
  return undefined;
}

/** `Loaded image: x:y` or `Loaded image ID: sha256:…`; the first one. */
export function parseLoadedImage(output: string): string | undefined {
  const match = /^Loaded image(?: ID)?: (\S+)$/m.exec(output);
  return match?.[1];
}

async function pushImage(
  image: string,
  references: string[],
  docker: Docker,
  reporter: Reporter,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  let digest: string | undefined;
  for (const reference of references) {
    const result = await reporter.group(`docker push ${reference}`, async () => {
      const live = streamLines(reporter);
      try {
        return await docker.checked(["push", reference], { timeoutMs: 30 * MINUTE, signal, ...live.options });
      } catch (error) {
        const refusal = error instanceof ProcessError ? pushRefusal(error.result.stderr) : undefined;
        if (!refusal) throw error;
        throw new ConfigurationError(
          `${registryHost(image)} refused the push of ${reference} (${refusal}); give docker-package a username and password that may push there (for ghcr.io: the actor and GITHUB_TOKEN with packages: write)`,
        );
      } finally {
        live.flush();
      }
    });
    digest ??= parsePushDigest(result.stdout);
  }
  if (digest === undefined) {
    // Older engines print no digest line; the local image then knows it.
    const inspected = await docker.run(
      ["image", "inspect", "--format", "{{json .RepoDigests}}", references[0] ?? image],
      { timeoutMs: MINUTE },
    );
    digest = parseRepoDigest(inspected.stdout, image);
  }
  if (digest) reporter.info(`pushed ${image}@${digest}`);
  return digest;
}

/** `1.2.3: digest: sha256:… size: 735`, the last line of `docker push`. */
export function parsePushDigest(output: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}

/** The digest under `image` in `docker image inspect --format '{{json .RepoDigests}}'`. */
export function parseRepoDigest(json: string, image: string): string | undefined {
  try {
    const digests: unknown = JSON.parse(json.trim() || "[]");
    if (!Array.isArray(digests)) return undefined;
    for (const entry of digests) {
      if (typeof entry === "string" && entry.startsWith(`${image}@`)) return entry.slice(image.length + 1);
    }
  } catch {
    // Not JSON: no digest.
  }
  return undefined;
}

/** Build and push output, line by line as it arrives, so a long build shows progress live. */
function streamLines(reporter: Reporter): {
  options: Pick<ProcessOptions, "onStdout" | "onStderr">;
  flush(): void;
} {
  const splitter = () => {
    let pending = "";
    return {
      push: (chunk: string) => {
        pending += chunk;
        const lines = pending.split(/\r?\n/);
        pending = lines.pop() ?? "";
        for (const line of lines) reporter.info(line);
      },
      flush: () => {
        if (pending) reporter.info(pending);
        pending = "";
      },
    };
  };
  const stdout = splitter();
  const stderr = splitter();
  return {
    options: { onStdout: stdout.push, onStderr: stderr.push },
    flush: () => {
      stdout.flush();
      stderr.flush();
    },
  };
}
