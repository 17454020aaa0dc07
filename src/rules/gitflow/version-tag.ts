/** A version tag split into its parts; the prefix (`v`) is not kept. */
export interface ParsedVersion {
  /** One to three numeric parts, as written: `v2.0` → [2, 0]. */
  parts: number[];
  /** The text after `-`, e.g. `rc.1`. */
  prerelease?: string;
  /** The text after `+`; never part of an image tag. */
  build?: string;
}

// Semver-shaped with one to three numeric parts. Leading zeros are refused
// (`v01.2.3` is not a version) so that two tag names never map to one version;
// SemVer 2.0.0 §9 refuses them in numeric pre-release identifiers too
// (`v1.2.3-0123`), while `-0a` (alphanumeric) and `-0` stay valid.
const PRERELEASE_IDENTIFIER = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
const VERSION = new RegExp(
  "^((?:0|[1-9]\\d*)(?:\\.(?:0|[1-9]\\d*)){0,2})" +
    `(?:-(${PRERELEASE_IDENTIFIER}(?:\\.${PRERELEASE_IDENTIFIER})*))?` +
    "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$",
);

/**
 * Reads a tag name as a version: optional `prefix` in any case (`v1.2.3`,
 * `V1.2.3` and `1.2.3` are the same release), one to three numeric parts, an
 * optional pre-release and build metadata. Anything else is undefined.
 */
export function parseVersionTag(tag: string, prefix: string): ParsedVersion | undefined {
  const hasPrefix = prefix !== "" && tag.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
  const match = VERSION.exec(hasPrefix ? tag.slice(prefix.length) : tag);
  const core = match?.[1];
  if (match === null || core === undefined) return undefined;
  const parts = core.split(".").map(Number);
  // Beyond 2^53 numbers stop comparing exactly; such a tag is not a release anyone cuts.
  if (!parts.every(Number.isSafeInteger)) return undefined;
  const version: ParsedVersion = { parts };
  if (match[2] !== undefined) version.prerelease = match[2];
  if (match[3] !== undefined) version.build = match[3];
  return version;
}

/**
 * Orders versions like semver: numeric parts first (missing parts are 0, so
 * `2` == `2.0.0`), then a release is above its pre-releases, and pre-release
 * identifiers compare numerically or by ASCII. Build metadata is ignored.
 */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const length = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < length; i++) {
    const difference = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return comparePrerelease(a.prerelease, b.prerelease);
}

/** The version as an image tag: numeric parts as written plus the pre-release, no build metadata. */
export function formatVersion(version: ParsedVersion): string {
  const core = version.parts.join(".");
  return version.prerelease === undefined ? core : `${core}-${version.prerelease}`;
}

/** `1.2.3` → `1.2.3`, `1.2`, `1`: every tag a user may pin to that this release should move. */
export function listFloatingVersions(version: ParsedVersion): string[] {
  return version.parts.map((_, index) => version.parts.slice(0, version.parts.length - index).join("."));
}

/** Pads to major.minor.patch, for versions built from branch names (`release/1.3` → 1.3.0). */
export function padVersionParts(parts: readonly number[]): number[] {
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const left = a.split(".");
  const right = b.split(".");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = compareIdentifiers(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

function compareIdentifiers(x: string, y: string): number {
  const xNumeric = /^\d+$/.test(x);
  const yNumeric = /^\d+$/.test(y);
  if (xNumeric && yNumeric) {
    const difference = BigInt(x) - BigInt(y);
    return difference === 0n ? 0 : difference < 0n ? -1 : 1;
  }
  if (xNumeric) return -1;
  if (yNumeric) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}
