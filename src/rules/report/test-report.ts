import type { SourceLocation } from "../../errors.js";

/** `flaky`: failed in a run, passed in a later one (a rerun, `-count=N`). */
export type TestCaseStatus = "passed" | "failed" | "skipped" | "flaky";

/** A failed run of a case that ran again: of a flaky case, or the earlier runs of a failed one. */
export interface TestCaseRerun {
  message: string;
  details?: string;
  location?: SourceLocation;
  durationMs: number;
}

/** One test, whatever ran it: a Go test or subtest, a compose-test spec case. */
export interface TestCaseResult {
  /** The suite it belongs to: a Go package, a spec file. */
  suite: string;
  name: string;
  status: TestCaseStatus;
  durationMs: number;
  /** Why it failed or was skipped, short. */
  message?: string;
  /** The full story: test output, the response received. */
  details?: string;
  /** Where it failed, relative to the workspace root. */
  location?: SourceLocation;
  /** Failed runs before the last one, oldest first. */
  reruns?: TestCaseRerun[];
}

export interface TestSuiteResult {
  name: string;
  cases: TestCaseResult[];
  durationMs: number;
  /** Failures outside any case, e.g. a package that did not build. */
  errors?: string[];
}

export interface TestCounts {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  errors: number;
}

/** Counts the cases of some suites, and their suite-level errors. */
export function countTestResults(suites: readonly TestSuiteResult[]): TestCounts {
  const counts: TestCounts = { tests: 0, passed: 0, failed: 0, skipped: 0, flaky: 0, errors: 0 };
  for (const suite of suites) {
    for (const testCase of suite.cases) {
      counts.tests++;
      counts[testCase.status]++;
    }
    counts.errors += suite.errors?.length ?? 0;
  }
  return counts;
}
