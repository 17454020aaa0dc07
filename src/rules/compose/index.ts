/**
 * Compose rules for the compose-test action: pure functions over the output
 * of `docker compose config/ps --format json` and the action's inputs. No I/O,
 * no @actions/core: input in, output out.
 */
export {
  cleanupImages,
  type DataFolder,
  listProjectBindMounts,
  type ProjectBindMount,
  planDataFolders,
  redirectDataFolders,
  type SourceKind,
} from "./bind-mounts.js";
export { type EnvironmentBuilds, nameEnvironmentBuilds, servicesToBuild } from "./builds.js";
export {
  composeErrorDetail,
  type PublishedPort,
  parsePublishedPort,
  stripAnsi,
  stripAnsiChunk,
} from "./cli-output.js";
export { compareStrings, composeServiceNames, labelMap, parseComposeConfig } from "./config.js";
export {
  EPHEMERAL_HOST_IP,
  type ExternalNetworkPolicy,
  type IsolateOptions,
  type IsolateResult,
  isolateComposeConfig,
  OVERRIDE_PULL_POLICY,
} from "./isolate.js";
export { ENV_NAME, parseEnvLines, parseServiceImageLines, SERVICE_NAME } from "./lines.js";
export { imageOverride } from "./overrides.js";
export {
  composeProjectName,
  MAX_PROJECT_NAME_LENGTH,
  PROJECT_NAME,
  type ProjectNameParts,
} from "./project-name.js";
export {
  execReferences,
  publishTargets,
  requestTargets,
  requestUrl,
  servicePortKey,
  unpublishedPortHint,
} from "./publish.js";
export {
  assessReadiness,
  type ComposePsEntry,
  PROJECT_CONTAINERS_FORMAT,
  parseProjectContainers,
  READINESS_POLL_MS,
  type ReadinessAssessment,
  readinessBudget,
  readinessInterval,
  type UnreadyService,
} from "./readiness.js";
export { parseShard, type Shard, selectShard } from "./shard.js";
export {
  chooseFreeSubnets,
  type FixedSubnet,
  fixedSubnets,
  formatIpv4Subnet,
  type Ipv4Subnet,
  isSubnetConflict,
  moveSubnets,
  parseIpv4Subnet,
} from "./subnets.js";
export {
  type ComposeTarget,
  checkTargetsExist,
  describeMissingService,
  type LocatedTarget,
  parseTarget,
  serviceProfiles,
} from "./targets.js";
export type {
  ComposeConfig,
  ComposeHealthcheck,
  ComposePort,
  ComposeResource,
  ComposeService,
  RunLabel,
} from "./types.js";
