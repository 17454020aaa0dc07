import { createHash } from "node:crypto";
import { ConfigurationError } from "../../errors.js";

/** Registries reject tags longer than this (distribution reference grammar). */
export const MAX_IMAGE_TAG_LENGTH = 128;

/** Length of the hash suffix on a cut name: 8 hex chars of sha256 keeps long names apart. */
const HASH_LENGTH = 8;

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Turns a branch (or any name) into a valid image tag: each run of characters
 * a tag cannot hold becomes one `-`, leading `.`/`-` go, and a name over 128
 * characters is cut and ends in `-<hash of the full name>` so that two long
 * branches sharing their first 128 characters still get different tags.
 *
 * `what` names the thing in the error message ("branch", "extra tag").
 */
/** extra-tags as given (trimmed, blanks dropped), each made a valid tag. */
export function sanitizeExtraTags(tags: readonly string[]): string[] {
  return tags
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "")
    .map((tag) => sanitizeTag(tag, "extra tag"));
}

export function sanitizeTag(name: string, what = "name"): string {
  const replaced = name.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[.-]+/, "");
  if (replaced === "") {
    throw new ConfigurationError(
      `${what} '${name}' has no characters an image tag can use (letters, digits, '_', '.', '-'); rename it`,
    );
  }
  if (replaced.length <= MAX_IMAGE_TAG_LENGTH) return replaced;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, HASH_LENGTH);
  return `${replaced.slice(0, MAX_IMAGE_TAG_LENGTH - HASH_LENGTH - 1)}-${hash}`;
}

export function isImageTag(tag: string): boolean {
  return IMAGE_TAG.test(tag);
}

/** Guards tags built from settings (a kept version prefix, a pre-release) that a registry would refuse. */
export function assertImageTag(tag: string): void {
  if (isImageTag(tag)) return;
  throw new ConfigurationError(
    `'${tag}' is not a valid image tag: it must start with a letter, digit or '_', use only letters, digits, '_', '.', '-', and be at most ${MAX_IMAGE_TAG_LENGTH} characters; change the tag or setting it came from`,
  );
}
