import type { SourceLocation } from "../../errors.js";

export type TestCaseStatus = "passed" | "failed" | "skipped";

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
  errors: number;
}

/** Counts the cases of some suites, and their suite-level errors. */
export function countTestResults(suites: readonly TestSuiteResult[]): TestCounts {
  const counts: TestCounts = { tests: 0, passed: 0, failed: 0, skipped: 0, errors: 0 };
  for (const suite of suites) {
    for (const testCase of suite.cases) {
      counts.tests++;
      counts[testCase.status]++;
    }
    counts.errors += suite.errors?.length ?? 0;
  }
  return counts;
}
