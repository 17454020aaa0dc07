import { compareStrings, composeServiceNames, isObject, labelMap } from "./config.js";
import type { ComposeConfig, RunLabel } from "./types.js";

/** The services compose-test builds itself: a `build:` section (what `images` names has none left). */
export function servicesToBuild(config: ComposeConfig): string[] {
  return composeServiceNames(config).filter((name) => config.services[name]?.build !== undefined);
}

export interface EnvironmentBuilds {
  config: ComposeConfig;
  /** Services to `docker compose build` before `up`. */
  services: string[];
  /** The images those builds make, removed with the environment. */
  images: string[];
  changes: string[];
}

/**
 * Gives every service with a `build:` section an image name of this
 * environment's own (`<project>-<image or service>`), labelled with the run,
 * so an environment always runs what it built itself: never a stale image
 * under a fixed tag (`image: myapp:latest`), nor another workspace's build of
 * it. A service without `build:` that names the same image (a worker started
 * from the app's image) follows the rename. Returns a new config.
 */
export function nameEnvironmentBuilds(
  config: ComposeConfig,
  project: string,
  runLabel: RunLabel,
): EnvironmentBuilds {
  const out = structuredClone(config);
  const services = servicesToBuild(out);
  const renamed = new Map<string, string>();
  const built = new Set<string>();
  const changes: string[] = [];
  for (const name of services) {
    const service = out.services[name]!;
    const original = service.image;
    const image =
      (original === undefined ? undefined : renamed.get(original)) ??
      `${project}-${imageNamePart(original ?? name)}`;
    if (original !== undefined) renamed.set(original, image);
    built.add(image);
    service.image = image;
    if (isObject(service.build)) {
      service.build.labels = { ...labelMap(service.build.labels), [runLabel.key]: runLabel.value };
    }
    changes.push(`${name}: builds ${image}${original === undefined ? "" : ` (instead of ${original})`}`);
  }
  for (const name of composeServiceNames(out)) {
    const service = out.services[name]!;
    if (service.build !== undefined || service.image === undefined) continue;
    const image = renamed.get(service.image);
    if (image === undefined) continue;
    changes.push(`${name}: image ${service.image} → ${image} (built in this environment)`);
    service.image = image;
  }
  return { config: out, services, images: [...built].sort(compareStrings), changes };
}

/** `registry:5000/team/app:1.2` → `app-1.2`: a lower-case name component without a registry or `/`. */
function imageNamePart(reference: string): string {
  const last = reference.split("/").pop() ?? reference;
  return (
    last
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "image"
  );
}
