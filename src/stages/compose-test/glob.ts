import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../../errors.js";

/**
 * The small glob dialect of the `tests` input, matched against paths relative
 * to the working directory with `/` separators:
 * `*` any characters but `/`, `**` any number of whole folders (also none),
 * `?` one character but `/`, `[abc]` / `[a-z]` / `[!abc]` a character class,
 * `{yml,yaml}` alternatives. Everything else matches itself.
 */
export function globToRegExp(pattern: string): RegExp {
  const source = normaliseGlob(pattern);
  let regex = "";
  let braces = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? "";
    if (char === "*") {
      if (source[i + 1] === "*") {
        const atStart = i === 0 || source[i - 1] === "/";
        const next = source[i + 2];
        if (atStart && (next === "/" || next === undefined)) {
          // `**/` is zero or more folders; a trailing `**` is everything below.
          regex += next === "/" ? "(?:[^/]+/)*" : ".*";
          i += next === "/" ? 2 : 1;
          continue;
        }
        i++; // `a**b` inside a segment means the same as `a*b`
      }
      regex += "[^/]*";
    } else if (char === "?") {
      regex += "[^/]";
    } else if (char === "[") {
      const end = source.indexOf("]", i + 2);
      if (end < 0) {
        regex += "\\[";
        continue;
      }
      let body = source.slice(i + 1, end);
      const negated = body.startsWith("!") || body.startsWith("^");
      if (negated) body = body.slice(1);
      regex += `[${negated ? "^/" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else if (char === "{") {
      braces++;
      regex += "(?:";
    } else if (char === "}" && braces > 0) {
      braces--;
      regex += ")";
    } else if (char === "," && braces > 0) {
      regex += "|";
    } else {
      regex += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  if (braces > 0) throw new ConfigurationError(`tests pattern '${pattern}' has an unclosed '{'`);
  return new RegExp(`^${regex}$`);
}

/** Whether a pattern has anything but literal characters. */
export function isGlobPattern(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** Strips `./` and duplicate slashes, turns `\` into `/`. */
export function normaliseGlob(pattern: string): string {
  return pattern
    .trim()
    .replace(/\\/g, "/")
    .replace(/\/{2,}/g, "/")
    .replace(/^(?:\.\/)+/, "");
}

/** The folder a pattern cannot match outside of: its literal leading segments (`tests/api` of `tests/api/*.yml`). */
export function globBase(pattern: string): string {
  const segments = normaliseGlob(pattern).split("/");
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (isGlobPattern(segment)) break;
    literal.push(segment);
  }
  return literal.join("/");
}

/**
 * The files under `root` that match any of `patterns` (relative, sorted, `/`
 * separators). A pattern starting with `!` removes what it matches. A literal
 * pattern (no wildcard) must name an existing file. Folders named
 * `node_modules` and `.git` are not searched.
 */
export function findFiles(root: string, patterns: readonly string[]): string[] {
  const include = patterns.filter((p) => !p.trim().startsWith("!"));
  const exclude = patterns
    .filter((p) => p.trim().startsWith("!"))
    .map((p) => globToRegExp(p.trim().slice(1)));
  const found = new Set<string>();
  for (const pattern of include) {
    const normalised = normaliseGlob(pattern);
    if (normalised.startsWith("/") || normalised.split("/").includes("..")) {
      throw new ConfigurationError(
        `tests pattern '${pattern}' leaves the working directory; write it relative to working-directory`,
      );
    }
    if (!isGlobPattern(normalised)) {
      const path = join(root, normalised);
      if (!existsSync(path) || !statSync(path).isFile()) {
        throw new ConfigurationError(`spec file '${normalised}' does not exist in ${root}`);
      }
      found.add(normalised);
      continue;
    }
    const regex = globToRegExp(normalised);
    const base = globBase(normalised);
    for (const file of walkFiles(root, base)) if (regex.test(file)) found.add(file);
  }
  return [...found].filter((file) => !exclude.some((regex) => regex.test(file))).sort(compareCodeUnits);
}

const SKIPPED_FOLDERS = new Set(["node_modules", ".git"]);

function walkFiles(root: string, relativeDir: string): string[] {
  const dir = relativeDir === "" ? root : join(root, relativeDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) files.push(...walkFiles(root, path));
    } else if (entry.isFile()) {
      files.push(path);
    }
  }
  return files;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
