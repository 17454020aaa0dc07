import { OVERRIDE_PULL_POLICY } from "./isolate.js";
import type { ComposeConfig } from "./types.js";

/**
 * Without isolation the compose files are used as they are; `images` then
 * goes into a small override file (compose merges it over the others).
 */
export function imageOverride(images: Readonly<Record<string, string>>): ComposeConfig {
  const services: ComposeConfig["services"] = {};
  for (const [service, image] of Object.entries(images)) {
    services[service] = { image, pull_policy: OVERRIDE_PULL_POLICY };
  }
  return { services };
}
