import { ConfigurationError } from "../../errors.js";

/** `repository[:tag][@digest]`, split the way the distribution reference grammar reads it. */
export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** Checks `digest` is `sha256:` and 64 lower-case hex digits, naming `field` when it is not. */
export function assertDigest(digest: string, field: string): string {
  const value = digest.trim();
  if (!isDigest(value)) {
    throw new ConfigurationError(
      `${field} '${digest}' is not an image digest; use 'sha256:' followed by 64 lower-case hex digits (docker-package's 'digest' output)`,
    );
  }
  return value;
}

/**
 * Splits a reference without judging the repository: the tag is after the
 * last `:` of the last path component (a `:` before the first `/` is a
 * registry port), the digest after `@`. Undefined for text that is not one.
 */
export function parseImageReference(text: string): ImageReference | undefined {
  const value = text.trim();
  if (value === "" || /\s/.test(value)) return undefined;
  const at = value.indexOf("@");
  const digest = at >= 0 ? value.slice(at + 1) : undefined;
  if (digest !== undefined && !isDigest(digest)) return undefined;
  const name = at >= 0 ? value.slice(0, at) : value;
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  const hasTag = colon > slash;
  const repository = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  if (repository === "" || tag === "") return undefined;
  return {
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** Docker Hub spells one repository several ways (`redis`, `docker.io/library/redis`); compare them as one. */
export function sameRepository(left: string, right: string): boolean {
  return canonicalRepository(left) === canonicalRepository(right);
}

function canonicalRepository(repository: string): string {
  const parts = repository.split("/");
  const first = parts[0] ?? "";
  const hasHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = hasHost ? (first === "index.docker.io" ? "docker.io" : first) : "docker.io";
  const path = hasHost ? parts.slice(1) : parts;
  if (host === "docker.io" && path.length === 1) path.unshift("library");
  return `${host}/${path.join("/")}`;
}
