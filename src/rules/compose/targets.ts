import { ConfigurationError, type SourceLocation } from "../../errors.js";
import { SERVICE_NAME } from "./lines.js";
import type { ComposeConfig } from "./types.js";

/** A service port the tests talk to, written `service:port` (the container port, not a host port). */
export interface ComposeTarget {
  service: string;
  port: number;
}

/** A target and where it was written, so an unknown service can be annotated at that spot. */
export interface LocatedTarget extends ComposeTarget {
  location?: SourceLocation;
}

export function parseTarget(text: string, location?: SourceLocation): ComposeTarget {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(text.trim());
  const service = match?.[1] ?? "";
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || !SERVICE_NAME.test(service) || port < 1 || port > 65535) {
    throw new ConfigurationError(
      `target '${text}' is invalid: write 'service:port' with a compose service name and the container port (1-65535), e.g. 'goauth:9000'`,
      location,
    );
  }
  return { service, port };
}

/**
 * Throws for the first target whose service the compose config lacks, at that
 * target's location. `inactive` (service → its profiles) names services the
 * compose file has in a profile that is not enabled, so the message says how
 * to enable it instead of calling the service unknown.
 */
export function checkTargetsExist(
  targets: readonly LocatedTarget[],
  services: readonly string[],
  inactive: ReadonlyMap<string, readonly string[]> = new Map(),
): void {
  const known = new Set(services);
  for (const target of targets) {
    if (known.has(target.service)) continue;
    throw new ConfigurationError(
      describeMissingService(target.service, `target '${target.service}:${target.port}'`, services, inactive),
      target.location,
    );
  }
}

/** Why a service the spec names is not in the model: a typo, or a profile nobody enabled. */
export function describeMissingService(
  service: string,
  where: string,
  services: readonly string[],
  inactive: ReadonlyMap<string, readonly string[]>,
): string {
  const profiles = inactive.get(service);
  if (profiles !== undefined && profiles.length > 0) {
    const list = profiles.join(", ");
    return `compose service '${service}' in ${where} is in the profile${profiles.length > 1 ? "s" : ""} ${list}, which ${profiles.length > 1 ? "are" : "is"} not enabled; enable it with COMPOSE_PROFILES=${profiles[0]} in the env input (or the step's environment)`;
  }
  return `unknown compose service '${service}' in ${where} (services: ${services.join(", ") || "none"}); name one of those services`;
}

/** Service → its `profiles`, for the services of a model loaded with every profile enabled that have any. */
export function serviceProfiles(config: ComposeConfig): Map<string, string[]> {
  const profiles = new Map<string, string[]>();
  for (const [name, service] of Object.entries(config.services)) {
    const list = Array.isArray(service.profiles) ? service.profiles.map(String) : [];
    if (list.length > 0) profiles.set(name, list);
  }
  return profiles;
}
