import { ConfigurationError } from "../errors.js";

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

/** What a list of patterns asks for: files named literally, globs with the folder each is confined to, exclusions. */
export interface FileSearch {
  literals: string[];
  globs: { regex: RegExp; base: string }[];
  exclude: RegExp[];
}

/**
 * Reads the `tests` patterns: a pattern starting with `!` removes what it
 * matches; a literal pattern (no wildcard) names one file. A pattern that
 * leaves the working directory is refused.
 */
export function planFileSearch(patterns: readonly string[]): FileSearch {
  const search: FileSearch = { literals: [], globs: [], exclude: [] };
  for (const pattern of patterns) {
    if (pattern.trim().startsWith("!")) {
      search.exclude.push(globToRegExp(pattern.trim().slice(1)));
      continue;
    }
    const normalised = normaliseGlob(pattern);
    if (normalised.startsWith("/") || normalised.split("/").includes("..")) {
      throw new ConfigurationError(
        `tests pattern '${pattern}' leaves the working directory; write it relative to working-directory`,
      );
    }
    if (isGlobPattern(normalised))
      search.globs.push({ regex: globToRegExp(normalised), base: globBase(normalised) });
    else search.literals.push(normalised);
  }
  return search;
}

/** The found files without the excluded ones, each once, sorted by code unit (the same on every runner). */
export function selectFoundFiles(found: Iterable<string>, exclude: readonly RegExp[]): string[] {
  return [...new Set(found)]
    .filter((file) => !exclude.some((regex) => regex.test(file)))
    .sort(compareCodeUnits);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
