import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { planFileSearch, selectFoundFiles } from "../../rules/glob.js";

/**
 * The files under `root` that match any of `patterns` (see planFileSearch;
 * relative, sorted, `/` separators). A literal pattern must name an existing
 * file. Folders named `node_modules` and `.git` are not searched.
 */
export function findFiles(root: string, patterns: readonly string[]): string[] {
  const search = planFileSearch(patterns);
  const found: string[] = [];
  for (const literal of search.literals) {
    const path = join(root, literal);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new ConfigurationError(`spec file '${literal}' does not exist in ${root}`);
    }
    found.push(literal);
  }
  for (const glob of search.globs) {
    for (const file of walkFiles(root, glob.base)) if (glob.regex.test(file)) found.push(file);
  }
  return selectFoundFiles(found, search.exclude);
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
