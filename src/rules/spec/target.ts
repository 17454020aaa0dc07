import { ConfigurationError, type SourceLocation } from "../../errors.js";
import type { ServiceTarget } from "./spec.js";

// Compose accepts these characters in service names; anything else cannot be a service.
const TARGET_PATTERN = /^([a-zA-Z0-9][a-zA-Z0-9._-]*):(\d{1,5})$/;

/** Reads `service:port` (a compose service and its container port). */
export function parseServiceTarget(text: string, location: SourceLocation): ServiceTarget {
  const match = TARGET_PATTERN.exec(text.trim());
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65_535) {
    throw new ConfigurationError(
      `'${text}' is not a target; write the compose service and its container port, like goauth:9000`,
      location,
    );
  }
  return { service: match[1] ?? "", port, location };
}
