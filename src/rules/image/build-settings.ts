import { ConfigurationError } from "../../errors.js";
import { sanitizeExtraTags } from "../gitflow/index.js";

/**
 * The one platform to build for, or undefined for the engine's own: the
 * runner's engine stores one platform per image.
 */
export function parsePlatform(platforms: readonly string[]): string | undefined {
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

/** The `tags` input replaces the rules' tags; extra-tags are added to every build either way. */
export function chooseImageTags(
  explicitTags: readonly string[],
  extraTags: readonly string[],
  ruleTags: readonly string[],
): string[] {
  if (explicitTags.length === 0) return [...ruleTags];
  return [...new Set([...explicitTags, ...sanitizeExtraTags(extraTags)])];
}

/** The build settings a loaded image cannot honour: it is published as it was tested. */
export function ignoredBuildSettings(settings: {
  buildArgs: readonly unknown[];
  target: string | undefined;
  labels: Readonly<Record<string, string>>;
  platforms: readonly string[];
}): string[] {
  return [
    settings.buildArgs.length > 0 ? "build-args" : "",
    settings.target ? "target" : "",
    Object.keys(settings.labels).length > 0 ? "labels" : "",
    settings.platforms.length > 0 ? "platforms" : "",
  ].filter(Boolean);
}

/** load-artifact publishes an image that was already built: there are no binaries to add to it. */
export function checkArtifactSettings(settings: {
  artifactName: string | undefined;
  loadArtifact: string | undefined;
}): void {
  if (settings.loadArtifact && settings.artifactName) {
    throw new ConfigurationError(
      `artifact-name '${settings.artifactName}' and load-artifact '${settings.loadArtifact}' are both set; load-artifact publishes an image that was already built, so there are no binaries to add: remove artifact-name`,
    );
  }
}
