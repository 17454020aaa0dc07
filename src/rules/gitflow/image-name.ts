import { ConfigurationError } from "../../errors.js";
import { assertImageTag } from "./image-tag.js";

// The distribution reference grammar (github.com/distribution/reference).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
const REGISTRY_HOST = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?$`,
);
const MAX_NAME_LENGTH = 255;

/**
 * Checks an image name (`ghcr.io/acme/app`, `localhost:5000/app`, `acme/app`)
 * against the registry grammar and returns it trimmed. The repository path
 * must be lower-case, and the error says so with the lower-case spelling
 * rather than silently publishing somewhere else; the registry host may keep
 * its case (hosts are case-insensitive). Tags and digests are refused since
 * the tags come from the git-flow rules.
 */
export function normalizeImageName(name: string): string {
  const image = name.trim();
  if (image === "") {
    throw new ConfigurationError("image name is empty; set it to a repository such as 'ghcr.io/acme/app'");
  }
  if (image.includes("@")) {
    throw new ConfigurationError(
      `image '${image}': remove the digest ('@…'); images are published by tag, not by digest`,
    );
  }
  const components = image.split("/");
  const first = components[0] ?? "";
  // As in docker: the first component is a registry only if more follow and it looks like a host.
  const host =
    components.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")
      ? first
      : undefined;
  const path = host === undefined ? components : components.slice(1);

  if (host !== undefined && !REGISTRY_HOST.test(host)) {
    throw new ConfigurationError(
      `image '${image}': registry host '${host}' is invalid; use a host name with an optional :port, such as 'ghcr.io' or 'localhost:5000'`,
    );
  }
  const last = path[path.length - 1] ?? "";
  const colon = last.indexOf(":");
  if (colon >= 0) {
    throw new ConfigurationError(
      `image '${image}': remove the tag '${last.slice(colon)}'; tags come from the git-flow rules (add more with extra-tags)`,
    );
  }
  const invalid = path.filter((component) => !PATH_COMPONENT.test(component));
  if (invalid.length > 0) {
    const lowered = path.map((component) => component.toLowerCase());
    if (lowered.every((component) => PATH_COMPONENT.test(component))) {
      const suggestion = [...(host === undefined ? [] : [host]), ...lowered].join("/");
      throw new ConfigurationError(
        `image '${image}': repository names must be lower-case; use '${suggestion}'`,
      );
    }
    const bad = invalid.find((component) => !PATH_COMPONENT.test(component.toLowerCase())) ?? "";
    throw new ConfigurationError(
      bad === ""
        ? `image '${image}': a path component is empty; remove the extra '/'`
        : `image '${image}': path component '${bad}' is invalid; use lower-case letters and digits, separated by '.', '_', '__' or '-'`,
    );
  }
  if (image.length > MAX_NAME_LENGTH) {
    throw new ConfigurationError(
      `image '${image}' is ${image.length} characters; registries accept at most ${MAX_NAME_LENGTH}, shorten it`,
    );
  }
  return image;
}

/** Full references `image:tag` for `docker tag` / `docker push`. */
export function imageReferences(image: string, tags: readonly string[]): string[] {
  const name = normalizeImageName(image);
  return tags.map((tag) => {
    assertImageTag(tag);
    return `${name}:${tag}`;
  });
}
