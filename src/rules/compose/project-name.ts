import { createHash } from "node:crypto";

/**
 * Compose accepts longer names, but containers are named `<project>-<service>-N`
 * and the network `<project>_<network>`: a short project leaves room for both
 * (and fits a DNS label).
 */
export const MAX_PROJECT_NAME_LENGTH = 63;

/** Compose's rule for project names. */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Hex characters of sha256 over the full readable part, added when it had to be cut. */
const HASH_LENGTH = 6;

/** Used when every readable part is empty, so a name never starts with the bare random suffix. */
const FALLBACK_PREFIX = "goflow";

export interface ProjectNameParts {
  /** `owner/name`; only the name is used (the owner adds length, not uniqueness on one runner). */
  repository?: string;
  runId?: string | number;
  runAttempt?: string | number;
  job?: string;
  /** The spec or compose file path; its base name without the extension is used. */
  file?: string;
  /** Lower-case letters and digits, 1–16 characters; the caller draws it so this stays pure. */
  random: string;
}

/**
 * A compose project name unique to one run of one spec file and still
 * readable in `docker ps`: `<repo>-<run id>-<attempt>-<job>-<file>-<random>`,
 * each part lower-cased with runs of other characters turned into `-`, empty
 * parts left out. Over {@link MAX_PROJECT_NAME_LENGTH} the longest readable
 * parts are shortened first and a hash of the uncut parts is added, so two long
 * names never meet; the random suffix is never cut.
 */
export function composeProjectName(parts: ProjectNameParts): string {
  const random = parts.random.toLowerCase();
  if (!/^[a-z0-9]{1,16}$/.test(random)) {
    throw new Error(`composeProjectName: random suffix '${parts.random}' must be 1-16 letters or digits`);
  }
  const readable = [
    slug(repositoryName(parts.repository)),
    slug(parts.runId),
    slug(parts.runAttempt),
    slug(parts.job),
    slug(fileBaseName(parts.file)),
  ].filter((part) => part !== "");
  if (readable.length === 0) readable.push(FALLBACK_PREFIX);

  const budget = MAX_PROJECT_NAME_LENGTH - random.length - 1;
  const full = readable.join("-");
  if (full.length <= budget) return `${full}-${random}`;

  const hash = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
  const cut = shorten(readable, budget - HASH_LENGTH - 1);
  return `${cut.join("-")}-${hash}-${random}`;
}

/** Cuts the longest part by one character until the parts, joined by `-`, fit `budget`. */
function shorten(parts: string[], budget: number): string[] {
  const lengths = parts.map((p) => p.length);
  const total = () => lengths.reduce((sum, n) => sum + n, 0) + lengths.length - 1;
  while (total() > budget) {
    let longest = 0;
    for (let i = 1; i < lengths.length; i++) if (lengths[i]! > lengths[longest]!) longest = i;
    if (lengths[longest]! <= 1) break;
    lengths[longest]! -= 1;
  }
  // A cut can end on a separator; trimming it keeps names free of `--`.
  return parts.map((p, i) => p.slice(0, lengths[i]).replace(/-+$/, ""));
}

function slug(value: string | number | undefined): string {
  if (value === undefined) return "";
  return String(value)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function repositoryName(repository: string | undefined): string | undefined {
  return repository?.split("/").pop();
}

function fileBaseName(file: string | undefined): string | undefined {
  const base = file?.split(/[/\\]/).pop();
  return base?.replace(/\.[^.]*$/, "");
}
