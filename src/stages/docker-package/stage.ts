import type { PackageOptions } from "../../options/docker-package.js";
import {
  computeImageTags,
  decidePush,
  type GitflowResult,
  imageReferences,
  normalizeImageName,
  parseRef,
} from "../../rules/gitflow/index.js";
import {
  buildTime,
  checkArtifactSettings,
  chooseImageTags,
  computeImageLabels,
  ignoredBuildSettings,
  parsePlatform,
} from "../../rules/image/index.js";
import { testedMarkerTag } from "../../rules/promote/tested-marker.js";
import type { ArtifactStore } from "../../runtime/artifact.js";
import type { RunContext } from "../../runtime/run-context.js";
import { gitflowInputOf } from "../gitflow-input.js";
import { openArtifactStore, type StageRuntime, settleCancelled } from "../stage-contract.js";
import { writeTestedMarker } from "../tested-marker.js";
import { loadImage, saveImage } from "./image-archive.js";
import { buildImage, downloadBinaries, validateBuildFiles } from "./image-build.js";
import { pushImage } from "./image-push.js";
import type { PackageRuntime } from "./package-runtime.js";
import { loginRegistry, planLogin } from "./registry-login.js";
import { type PackageResult, renderPackageSummary } from "./report.js";
import { listVersionTags, type VersionTagSource } from "./version-tags.js";

export type { PackageRuntime } from "./package-runtime.js";
export { logoutRegistry } from "./registry-login.js";
export type { PackageResult };

/**
 * The stage's outcome: the packaged image when ok. A docker command that
 * fails throws (ProcessError), as do inputs the user must fix.
 */
export type PackageStageResult =
  | { status: "ok"; failure: undefined; packaged: PackageResult }
  | { status: "cancelled"; failure: string; packaged: undefined };

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
  const { reporter, docker } = runtime;
  if (options.password) reporter.setSecret(options.password);
  if (options.githubToken) reporter.setSecret(options.githubToken);

  await docker.ensureReachable();
  const image = normalizeImageName(options.image);
  const platform = parsePlatform(options.platforms);
  checkArtifactSettings(options);
  if (!options.loadArtifact) validateBuildFiles(options);
  else warnIgnoredBuildSettings(options, reporter);

  const gitflow = await computeTags(options, runtime);
  const tags = chooseImageTags(options.explicitTags, options.gitflow.extraTags ?? [], gitflow.tags);
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

  const { imageId, labels } = await produceImage(options, { references, platform, gitflow }, runtime);
  if (options.saveArtifact) {
    await saveImage(options.saveArtifact, { imageId, references, gitflow }, runtime);
  }

  let digest: string | undefined;
  if (pushNow) digest = await pushImage(image, references, docker, reporter, runtime.signal);
  if (pushNow && options.testedMarker) await markTested(image, digest, options, runtime);

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
  runtime: Pick<PackageRuntime, "docker" | "reporter" | "state" | "signal" | "context">,
): Promise<PackageResult> {
  const { docker, reporter } = runtime;
  if (!packaged.shouldPush) return packaged;
  const login = planLogin(options, packaged.image, true, reporter);
  if (login) await loginRegistry(docker, login, runtime.state, reporter);
  const digest = await pushImage(packaged.image, packaged.references, docker, reporter, runtime.signal);
  // The single-step pipeline publishes only after every integration test passed.
  await markTested(packaged.image, digest, options, runtime);
  return { ...packaged, digest, pushed: true };
}

/**
 * Leaves the registry's proof that this digest passed the integration tests,
 * which promote requires. Without a digest there is nothing to vouch for,
 * and a publish that cannot leave its marker has not finished its work.
 */
async function markTested(
  image: string,
  digest: string | undefined,
  options: Pick<PackageOptions, "username" | "password">,
  runtime: Pick<PackageRuntime, "reporter" | "context" | "signal">,
): Promise<void> {
  if (!digest)
    throw new Error(`pushed ${image} but the engine reported no digest: cannot write the tested marker`);
  const { context } = runtime;
  const runUrl = context.runId
    ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
    : undefined;
  const credentials =
    options.username && options.password
      ? { username: options.username, password: options.password }
      : undefined;
  await writeTestedMarker(
    image,
    digest,
    { created: new Date().toISOString(), ...(runUrl ? { runUrl } : {}) },
    { credentials, signal: runtime.signal },
  );
  runtime.reporter.info(`marked ${image}@${digest} as tested (${testedMarkerTag(digest)})`);
}

/** Builds the image with its OCI labels, or loads the one a previous job saved (which keeps its own labels). */
async function produceImage(
  options: PackageOptions,
  plan: { references: string[]; platform: string | undefined; gitflow: GitflowResult },
  runtime: PackageRuntime,
): Promise<{ imageId: string; labels: Record<string, string> }> {
  const { references, platform, gitflow } = plan;
  if (options.loadArtifact) {
    return { imageId: await loadImage(options.loadArtifact, references, runtime, gitflow), labels: {} };
  }
  const created = buildTime(options.sourceDateEpoch, () => new Date());
  const labels = computeImageLabels(
    runtime.context,
    { version: gitflow.version, channel: gitflow.channel, created },
    options.labels,
  );
  return { imageId: await buildImage(options, { references, labels, platform }, runtime), labels };
}

/** A loaded image is published as it was tested; settings that would change it cannot apply. */
function warnIgnoredBuildSettings(options: PackageOptions, reporter: PackageRuntime["reporter"]): void {
  const ignored = ignoredBuildSettings(options);
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
