import { ConfigurationError, type SourceLocation } from "../../errors.js";
import { SERVICE_NAME } from "./lines.js";

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

/** Throws for the first target whose service the compose config lacks, at that target's location. */
export function checkTargetsExist(targets: readonly LocatedTarget[], services: readonly string[]): void {
  const known = new Set(services);
  for (const target of targets) {
    if (known.has(target.service)) continue;
    throw new ConfigurationError(
      `unknown compose service '${target.service}' in target '${target.service}:${target.port}' (services: ${services.join(", ") || "none"}); name one of those services`,
      target.location,
    );
  }
}
