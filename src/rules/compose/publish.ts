import type { ResolvedRequest, ServiceReference, Spec } from "../spec/spec.js";
import { specTargets } from "../spec/spec.js";
import { EPHEMERAL_HOST_IP } from "./isolate.js";
import type { ComposeTarget } from "./targets.js";
import type { ComposeConfig } from "./types.js";

/**
 * What the tests talk to and how it is published: the targets of a spec, the
 * ports isolation publishes for them, and the URL a request goes to.
 */

/** `goauth:9000`: the key of a target in maps of endpoints. */
export function servicePortKey(target: ComposeTarget): string {
  return `${target.service}:${target.port}`;
}

/** The distinct service ports a spec sends requests to, in file order. */
export function requestTargets(spec: Spec): ComposeTarget[] {
  const seen = new Map<string, ComposeTarget>();
  for (const reference of specTargets(spec)) {
    if (reference.role !== "target" || reference.port === undefined) continue;
    const target = { service: reference.service, port: reference.port };
    seen.set(servicePortKey(target), target);
  }
  return [...seen.values()];
}

/** Services the spec runs `exec` steps in. */
export function execReferences(spec: Spec): ServiceReference[] {
  return specTargets(spec).filter((reference) => reference.role === "exec");
}

/**
 * Publishes every container port the tests talk to that the compose model
 * does not publish yet, on an ephemeral loopback port: with isolation the
 * tests can reach a service that only `expose`s its port (or nothing at all).
 * Returns a new config and one line per added port.
 */
export function publishTargets(
  config: ComposeConfig,
  targets: readonly ComposeTarget[],
): { config: ComposeConfig; changes: string[] } {
  const out = structuredClone(config);
  const changes: string[] = [];
  for (const target of targets) {
    const service = Object.hasOwn(out.services, target.service) ? out.services[target.service] : undefined;
    if (service === undefined || service.network_mode === "host") continue;
    const ports = service.ports ?? [];
    const published = ports.some((port) => port.target === target.port && (port.protocol ?? "tcp") === "tcp");
    if (published) continue;
    ports.push({ target: target.port, host_ip: EPHEMERAL_HOST_IP, protocol: "tcp", mode: "ingress" });
    service.ports = ports;
    changes.push(
      `${target.service}: published port ${target.port}/tcp on ${EPHEMERAL_HOST_IP}:(ephemeral) for the tests`,
    );
  }
  return { config: out, changes };
}

/**
 * What to do when a target's port is not published, for the message: a host
 * network service has no published ports at all, without isolation the
 * compose file must publish it, and with isolation (which publishes every
 * target) the container has stopped.
 */
export function unpublishedPortHint(config: ComposeConfig, target: ComposeTarget, isolate: boolean): string {
  const service = Object.hasOwn(config.services, target.service)
    ? config.services[target.service]
    : undefined;
  if (service?.network_mode === "host") {
    return `service '${target.service}' uses network_mode: host, so it listens on the runner's own port ${target.port} and nothing is published; send the requests to a url (url: http://127.0.0.1:${target.port}/...) instead of the target, or give the service a network and ports`;
  }
  if (!isolate) {
    return `publish it in the compose file (ports: ["${target.port}"]) or run with isolate: true, which publishes every target`;
  }
  return "isolation publishes every target, so its container is no longer running; see its logs";
}

/** A service destination goes to the target's published port; a URL is used as written. */
export function requestUrl(request: ResolvedRequest, endpoints: ReadonlyMap<string, string>): string {
  const destination = request.destination;
  if (destination.kind === "url") return destination.url;
  const base = endpoints.get(servicePortKey(destination));
  if (base === undefined) throw new Error(`no published port for ${servicePortKey(destination)}`);
  return `${base}${destination.path}`;
}
