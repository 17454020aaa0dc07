import { ConfigurationError, type SourceLocation } from "../../errors.js";
import type { HttpRequestSpec, ServiceTarget, Spec } from "./spec.js";

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

// `http://host[:port]` and the rest; a host with a template, user info or brackets is never a service.
const SERVICE_URL_PATTERN = /^http:\/\/([a-zA-Z0-9][a-zA-Z0-9._-]*)(?::(\d{1,5}))?(?=[/?#]|$)(.*)$/i;

/**
 * Sends every plain `http://` URL whose host is a compose service of the
 * environment (`http://goauth:9000/user`, or `goauth:9000/user` in a curl
 * line) to that service's container port, which the run publishes and the
 * tests reach on the host: a line pasted from a script that ran inside the
 * compose network works unchanged. Any other URL, and any host that is not a
 * service, stays as written. Without a port, http's 80, as curl reads it.
 */
export function bindServiceUrls(spec: Spec, services: readonly string[]): Spec {
  const known = new Set(services);
  const bind = (request: HttpRequestSpec): HttpRequestSpec => {
    const match =
      request.destination.kind === "url" ? SERVICE_URL_PATTERN.exec(request.destination.url) : null;
    const service = match?.[1] ?? "";
    const port = Number(match?.[2] ?? 80);
    if (match === null || !known.has(service) || port < 1 || port > 65_535) return request;
    const rest = (match[3] ?? "").replace(/#.*$/, "");
    const path = rest.startsWith("/") ? rest : `/${rest}`;
    return {
      ...request,
      destination: { kind: "service", target: { service, port, location: request.location }, path },
    };
  };
  return {
    ...spec,
    wait: spec.wait === undefined ? undefined : { ...spec.wait, request: bind(spec.wait.request) },
    tests: spec.tests.map((test) => ({ ...test, request: bind(test.request) })),
  };
}
