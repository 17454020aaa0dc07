/**
 * Git-flow versioning rules: pure functions from a CI trigger to a version,
 * image tags and a push decision. No I/O, no @actions/core: input in, output out.
 */
export {
  type Channel,
  computeImageTags,
  type GitflowInput,
  type GitflowResult,
  type PullRequestInfo,
} from "./compute-image-tags.js";
export { decidePush, type PushDecision, type PushMode, parsePushMode } from "./decide-push.js";
export { imageReferences, normalizeImageName } from "./image-name.js";
export {
  assertImageTag,
  isImageTag,
  MAX_IMAGE_TAG_LENGTH,
  sanitizeExtraTags,
  sanitizeTag,
} from "./image-tag.js";
export { type ParsedRef, parseRef } from "./ref.js";
export {
  defaultGitflowSettings,
  type GitflowSettings,
  type LatestMode,
  parseLatestMode,
  type ResolvedGitflowSettings,
  resolveGitflowSettings,
} from "./settings.js";
export { compareVersions, type ParsedVersion, parseVersionTag } from "./version-tag.js";
