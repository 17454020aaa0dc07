import type { SourceLocation } from "../../errors.js";
import type { Finding } from "../report/finding.js";

/** One matcher that did not hold, located at the matcher's YAML node. */
export interface AssertionFailure {
  /** What was checked: `status`, `header content-type`, `body contains`, `json $.token length`, `capture token`. */
  matcher: string;
  expected: string;
  actual: string;
  location: SourceLocation;
}

/** The HTTP response as the evaluator sees it. */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " as fetch does. */
  headers: Readonly<Record<string, string>>;
  body: string;
  durationMs: number;
}

/** One line: `status: expected 200, got 409`. */
export function formatFailure(failure: AssertionFailure): string {
  return `${failure.matcher}: expected ${failure.expected}, got ${failure.actual}`;
}

/** An error annotation on the matcher's line, titled with the test it belongs to. */
export function convertFailureToFinding(failure: AssertionFailure, testName: string): Finding {
  return {
    severity: "error",
    title: `compose-test: ${testName}`,
    message: formatFailure(failure),
    location: failure.location,
  };
}

export function convertFailuresToFindings(
  failures: readonly AssertionFailure[],
  testName: string,
): Finding[] {
  return failures.map((failure) => convertFailureToFinding(failure, testName));
}
