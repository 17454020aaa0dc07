import type { GoTestResult } from "./test-events.js";

/** One `go test -run <pattern> <package>` that reruns a package's failed tests. */
export interface GoTestRerun {
  package: string;
  /** The failed tests it reruns, as `go test -json` names them. */
  tests: string[];
  /** The `-run` value: one anchored, escaped alternative per test, `/` between subtest levels. */
  pattern: string;
}

/**
 * What to run again after a failing `go test`: per package, the failed tests
 * that failed themselves rather than only through a subtest (a failed
 * subtest is rerun on its own, with its parents but not its siblings), and
 * none inside another one that is rerun whole. Nothing is planned for a run
 * with a build failure, nor for a package that failed outside any test: a
 * rerun cannot make those pass.
 */
export function planTestReruns(result: GoTestResult): GoTestRerun[] {
  if (result.buildFailures.length > 0) return [];
  const reruns: GoTestRerun[] = [];
  for (const pkg of result.packages) {
    const failed = pkg.tests.filter((test) => test.status === "fail");
    if (pkg.buildFailure || (pkg.status === "fail" && failed.length === 0)) return [];
    const own = failed.filter(
      (test) => test.failure !== undefined || !failed.some((other) => other.name.startsWith(`${test.name}/`)),
    );
    const tests = own
      .map((test) => test.name)
      .filter((name, _, names) => !names.some((other) => name.startsWith(`${other}/`)));
    if (tests.length > 0) reruns.push({ package: pkg.name, tests, pattern: formatRunPattern(tests) });
  }
  return reruns;
}

/**
 * A `-run` pattern matching exactly these tests: `TestA/sub_1` and `TestB`
 * → `^TestA$/^sub_1$|^TestB$`. go test splits the pattern at `/` and `|`
 * outside brackets and parentheses and matches each level of a test's name
 * (spaces already rewritten to `_`, `#01` suffixes included) on its own, so
 * every level is quoted like Go's regexp.QuoteMeta and anchored.
 */
export function formatRunPattern(tests: readonly string[]): string {
  return tests.map((name) => name.split("/").map(quoteRunLevel).join("/")).join("|");
}

function quoteRunLevel(level: string): string {
  return `^${level.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&")}$`;
}
