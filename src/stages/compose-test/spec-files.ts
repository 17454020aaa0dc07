import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError, formatLocation } from "../../errors.js";
import type { ComposeTestOptions } from "../../options/compose-test.js";
import { selectShard } from "../../rules/compose/index.js";
import { planFileSearch, selectFoundFiles } from "../../rules/glob.js";
import { relativeToWorkspace } from "../../rules/paths.js";
import { parseSpec } from "../../rules/spec/parse-spec.js";
import { SpecError, type SpecProblem } from "../../rules/spec/spec-reader.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { LoadedSpec } from "./spec-run-shared.js";

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

/** The spec files this job runs: the `tests` globs, then its shard. */
export function selectSpecFiles(options: ComposeTestOptions, reporter: Reporter): string[] {
  const matched = findFiles(options.workingDirectory, options.tests);
  if (matched.length === 0) {
    throw new ConfigurationError(
      `no spec files match tests '${options.tests.join(", ")}' in ${options.workingDirectory}; check the tests input (globs relative to working-directory)`,
    );
  }
  if (options.shard === undefined) return matched;
  const selected = selectShard(matched, options.shard);
  const { index, total } = options.shard;
  if (selected.length === 0) {
    throw new ConfigurationError(
      `shard ${index}/${total} has no spec files: only ${matched.length} file${matched.length === 1 ? "" : "s"} matched; use at most ${matched.length} shards`,
    );
  }
  reporter.info(`shard ${index}/${total}: ${selected.join(", ")}`);
  return selected;
}

/**
 * Parses every spec file before anything starts. All problems of all files
 * are annotated at their lines; the error that fails the run lists them.
 */
export function parseSpecFiles(
  files: readonly string[],
  workingDirectory: string,
  workspace: string,
  reporter: Reporter,
): LoadedSpec[] {
  const specs: LoadedSpec[] = [];
  const problems: SpecProblem[] = [];
  const invalidFiles: string[] = [];
  for (const file of files) {
    const path = join(workingDirectory, file);
    const display = relativeToWorkspace(workspace, path);
    try {
      specs.push({ spec: parseSpec(readFileSync(path, "utf8"), display), file: display });
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      invalidFiles.push(display);
      if (error instanceof SpecError) {
        problems.push(...error.problems);
      } else {
        const location = error.location ?? { file: display };
        const prefix = `${formatLocation(location)}: `;
        const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
        problems.push({ message, location });
      }
    }
  }
  if (problems.length === 0) return specs;
  for (const problem of problems) {
    reporter.annotate({
      severity: "error",
      title: "compose-test: invalid spec",
      message: problem.message,
      location: problem.location,
    });
  }
  // Annotated one by one above; the error says how many and repeats the first, without a location of its own.
  const first = problems[0]!;
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  throw new ConfigurationError(
    `invalid spec file${invalidFiles.length > 1 ? "s" : ""} ${invalidFiles.join(", ")}: ${formatLocation(first.location)}: ${first.message}${more}`,
  );
}
