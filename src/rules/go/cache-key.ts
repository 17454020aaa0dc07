import { createHash } from "node:crypto";

export interface GoCacheKeyParts {
  /** The runner's OS and architecture (process.platform, process.arch). */
  os: string;
  arch: string;
  builderImage: string;
  goVersion: string;
  goMod: string;
  /** Empty when the module has no go.sum. */
  goSum: string;
}

/**
 * `goflow-go-<os>-<arch>-<image>-go<version>-<sha256 of go.mod and go.sum>`;
 * the restore key is the same without the hash, so a changed go.sum still
 * starts from the last caches of that toolchain.
 */
export function goCacheKey(parts: GoCacheKeyParts): { key: string; restoreKeys: string[] } {
  // @actions/cache refuses commas in keys; image references may hold `:`, `/` and `@`.
  const slug = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, "_");
  const prefix = `goflow-go-${slug(parts.os)}-${slug(parts.arch)}-${slug(parts.builderImage)}-go${slug(parts.goVersion)}-`;
  const hash = createHash("sha256").update(parts.goMod).update("\0").update(parts.goSum).digest("hex");
  return { key: `${prefix}${hash}`, restoreKeys: [prefix] };
}

/** Release (tag) builds must not start from caches a branch build could have written. */
export function goCacheAllowed(ref: string): boolean {
  return !ref.startsWith("refs/tags/");
}
