/**
 * Compose rules for the compose-test action: pure functions over the output
 * of `docker compose config/ps --format json` and the action's inputs. No I/O,
 * no @actions/core: input in, output out.
 */
export { compareStrings, composeServiceNames, parseComposeConfig } from "./config.js";
export {
  EPHEMERAL_HOST_IP,
  type IsolateOptions,
  type IsolateResult,
  isolateComposeConfig,
  OVERRIDE_PULL_POLICY,
} from "./isolate.js";
export { ENV_NAME, parseEnvLines, parseServiceImageLines, SERVICE_NAME } from "./lines.js";
export {
  composeProjectName,
  MAX_PROJECT_NAME_LENGTH,
  PROJECT_NAME,
  type ProjectNameParts,
} from "./project-name.js";
export {
  type ComposePsEntry,
  parseComposePs,
  servicesWithHealthcheck,
  type UnreadyService,
  unreadyServices,
} from "./readiness.js";
export { parseShard, type Shard, selectShard } from "./shard.js";
export { type ComposeTarget, checkTargetsExist, type LocatedTarget, parseTarget } from "./targets.js";
export type {
  ComposeConfig,
  ComposeHealthcheck,
  ComposePort,
  ComposeResource,
  ComposeService,
  RunLabel,
} from "./types.js";
