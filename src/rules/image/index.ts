/**
 * Image rules for docker-package: pure functions over image names, the run's
 * facts and what docker prints. No I/O, no @actions/core.
 */
export {
  describeArchiveMismatch,
  formatImageMetadata,
  IMAGE_ARCHIVE,
  IMAGE_METADATA,
  type ImageMetadata,
  parseImageMetadata,
} from "./archive.js";
export {
  checkArtifactSettings,
  chooseImageTags,
  ignoredBuildSettings,
  parsePlatform,
} from "./build-settings.js";
export { parseLoadedImage, parsePushDigest, parseRepoDigest, pushRefusal } from "./docker-output.js";
export { buildTime, CHANNEL_LABEL, computeImageLabels, formatRfc3339, type LabelContext } from "./labels.js";
export { type LoginDecision, planRegistryLogin, type RegistryLogin, registryHost } from "./registry.js";
