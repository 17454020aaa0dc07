import { ConfigurationError } from "../../errors.js";
import { compareStrings, composeServiceNames, isObject, labelMap } from "./config.js";
import type { ComposeConfig, ComposePort, ComposeResource, ComposeService, RunLabel } from "./types.js";

/** Published ports are bound here: reachable by the tests on the runner, not from outside it. */
export const EPHEMERAL_HOST_IP = "127.0.0.1";

/** A freshly built image lives only in the local engine; pulling it would fail or fetch a stale one. */
export const OVERRIDE_PULL_POLICY = "never";

export interface IsolateOptions {
  /** Added to every service and every non-external network and volume, so cleanup finds them. */
  runLabel: RunLabel;
  extraLabels?: Record<string, string>;
  /** Service name → image to run instead of what the compose file says (the image just built). */
  images?: Record<string, string>;
  /** An external network is a warning (default) or a ConfigurationError. */
  externalNetworks?: ExternalNetworkPolicy;
}

/** The `external-networks` input: what an external network in the compose model is. */
export type ExternalNetworkPolicy = "warn" | "error";

export interface IsolateResult {
  config: ComposeConfig;
  /** One line per rewrite, for a debug log. */
  changes: string[];
  /** What the rewrite cannot isolate (host networking, compose builds), worth telling the user. */
  warnings: string[];
}

/**
 * Rewrites a `docker compose config --format json` result so that two runs of
 * the same compose file, on the same host at the same time, cannot collide:
 * ephemeral loopback ports, no fixed container/network/volume names, no
 * project name, and the run label on everything compose creates. The input is
 * not modified.
 */
export function isolateComposeConfig(config: ComposeConfig, options: IsolateOptions): IsolateResult {
  if (options.runLabel.key === "" || options.runLabel.value === "") {
    throw new Error("isolateComposeConfig: the run label needs a key and a value");
  }
  const labels = labelsToAdd(options);
  const images = options.images ?? {};
  const names = composeServiceNames(config);
  // Checked before anything is rewritten, so the error is the only outcome of a bad input.
  for (const service of Object.keys(images)) {
    if (!Object.hasOwn(config.services, service)) {
      throw new ConfigurationError(
        `images names service '${service}', which is not in the compose config (services: ${names.join(", ")}); use one of those names`,
      );
    }
  }

  const out = structuredClone(config);
  const changes: string[] = [];
  const warnings: string[] = [];

  if (out.name !== undefined) {
    changes.push(`removed project name '${out.name}' (the run sets its own with -p)`);
    delete out.name;
  }

  for (const name of names) {
    const service = out.services[name]!;
    isolatePorts(name, service, changes);
    if (service.container_name !== undefined) {
      const alias = service.container_name;
      delete service.container_name;
      const networks = aliasContainerName(service, alias);
      if (networks.length > 0) {
        changes.push(
          `${name}: removed container_name '${alias}' (two runs would collide on it), kept as an alias on ${networks.join(", ")}`,
        );
      } else {
        warnings.push(
          `service '${name}': container_name '${alias}' was removed (two runs would collide on it) and cannot be kept as a network alias under network_mode: ${service.network_mode}; other services cannot reach it by that name`,
        );
      }
    }
    // hasOwn: a service called `constructor` must not pick up Object.prototype's.
    const image = Object.hasOwn(images, name) ? images[name] : undefined;
    if (image !== undefined) {
      changes.push(
        `${name}: image ${service.image ?? "(none)"} → ${image}${service.build !== undefined ? ", build removed" : ""}, pull_policy ${OVERRIDE_PULL_POLICY}`,
      );
      service.image = image;
      delete service.build;
      service.pull_policy = OVERRIDE_PULL_POLICY;
    } else if (service.build !== undefined) {
      changes.push(`${name}: has a build section and no entry in images: each environment builds it`);
    }
    if (service.network_mode === "host") {
      warnings.push(
        `service '${name}' uses network_mode: host: its ports bind directly on the host and can collide with another run`,
      );
    }
    service.labels = { ...labelMap(service.labels), ...labels };
  }
  if (names.length > 0) changes.push(`labelled services ${names.join(", ")} with ${formatLabels(labels)}`);

  checkExternalNetworks(out, options.externalNetworks ?? "warn", warnings);
  isolateResources("network", config.name, out.networks, labels, changes);
  isolateResources("volume", config.name, out.volumes, labels, changes);
  return { config: out, changes, warnings };
}

/**
 * Adds a removed container name as an alias on every network the service
 * joins (compose's `default` when it names none), so services that address it
 * by that name still resolve it, inside this environment only. Returns the
 * networks; none under a `network_mode`, which takes no aliases.
 */
function aliasContainerName(service: ComposeService, alias: string): string[] {
  if (service.network_mode !== undefined) return [];
  const networks = service.networks ?? { default: null };
  for (const key of Object.keys(networks)) {
    const options = isObject(networks[key]) ? { ...networks[key] } : {};
    const aliases = Array.isArray(options.aliases) ? options.aliases.map(String) : [];
    if (!aliases.includes(alias)) aliases.push(alias);
    networks[key] = { ...options, aliases };
  }
  service.networks = networks;
  return Object.keys(networks).sort(compareStrings);
}

/**
 * An external network is shared by every run that joins it: services of two
 * runs resolve (and reach) each other by service name there. Isolation cannot
 * change that, so it is said where it is seen (the summary), or refused.
 */
function checkExternalNetworks(
  config: ComposeConfig,
  policy: ExternalNetworkPolicy,
  warnings: string[],
): void {
  for (const key of Object.keys(config.networks ?? {}).sort(compareStrings)) {
    const network = config.networks?.[key];
    if (network?.external !== true) continue;
    const users = composeServiceNames(config).filter((name) =>
      Object.hasOwn(config.services[name]?.networks ?? {}, key),
    );
    const name = network.name ?? key;
    const message = `network '${key}' is external (${name}), joined by ${users.join(", ") || "no service"}: every run on this host shares it, so services of two runs can reach each other by name there`;
    if (policy === "error") {
      throw new ConfigurationError(
        `${message}. external-networks is error: give the services a network of the compose file's own, or set external-networks: warn`,
      );
    }
    warnings.push(`${message} (set external-networks: error to refuse this)`);
  }
}

function isolatePorts(name: string, service: ComposeService, changes: string[]): void {
  if (!service.ports) return;
  for (const port of service.ports) {
    const published = port.published === undefined ? "" : String(port.published);
    const ephemeral = published === "" || published === "0";
    if (ephemeral && port.host_ip === EPHEMERAL_HOST_IP) {
      delete port.published; // "" and "0" mean the same; one spelling in the output
      continue;
    }
    changes.push(
      `${name}: port ${portLabel(port)} published on ${port.host_ip ?? "all interfaces"}:${ephemeral ? "(ephemeral)" : published} → ${EPHEMERAL_HOST_IP}:(ephemeral)`,
    );
    // A range ("8000-8010") goes too: one ephemeral port per target is enough to reach it.
    delete port.published;
    port.host_ip = EPHEMERAL_HOST_IP;
  }
}

function isolateResources(
  kind: "network" | "volume",
  projectName: string | undefined,
  resources: Record<string, ComposeResource | null> | undefined,
  labels: Record<string, string>,
  changes: string[],
): void {
  if (!resources) return;
  const labelled: string[] = [];
  for (const key of Object.keys(resources).sort(compareStrings)) {
    const resource = resources[key] ?? {};
    resources[key] = resource;
    if (resource.external === true) {
      changes.push(`${kind} '${key}' is external: left as is (other runs may share it)`);
      continue;
    }
    if (resource.name !== undefined) {
      // Without a name compose derives `<project>_<key>` from -p, which is unique per run; a name the
      // compose file fixed would be shared by every run.
      if (projectName === undefined || resource.name !== `${projectName}_${key}`) {
        changes.push(`${kind} '${key}': removed fixed name '${resource.name}' (two runs would share it)`);
      }
      delete resource.name;
    }
    resource.labels = { ...labelMap(resource.labels), ...labels };
    labelled.push(key);
  }
  if (labelled.length > 0)
    changes.push(`labelled ${kind}s ${labelled.join(", ")} with ${formatLabels(labels)}`);
}

function labelsToAdd(options: IsolateOptions): Record<string, string> {
  const extra = options.extraLabels ?? {};
  for (const key of Object.keys(extra)) {
    if (!/^[^\s=]+$/.test(key)) {
      throw new ConfigurationError(
        `label key '${key}' is invalid: it must be non-empty, without spaces or '='`,
      );
    }
  }
  // The run label comes last: cleanup depends on it, so an extra label cannot override it.
  return { ...extra, [options.runLabel.key]: options.runLabel.value };
}

function portLabel(port: ComposePort): string {
  return `${port.target}/${port.protocol ?? "tcp"}`;
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}
