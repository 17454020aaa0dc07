import { formatLocation, type SourceLocation } from "../../errors.js";
import { type AssertionFailure, convertFailureToFinding, formatFailure } from "../../rules/assert/failure.js";
import { formatDuration } from "../../rules/format.js";
import type { Finding } from "../../rules/report/finding.js";

export type TestOutcome = "passed" | "failed" | "skipped";

/** One test of a spec file after it ran (or did not). */
export interface SpecTestResult {
  name: string;
  outcome: TestOutcome;
  /** `continue-on-error: true`: a failure is reported but does not fail the run. */
  allowedToFail: boolean;
  durationMs: number;
  attempts: number;
  /** The matchers that did not hold, each at its line in the spec. */
  failures: AssertionFailure[];
  /** Why the test could not be checked: no response, an undefined variable, an environment that never came up. */
  error: string | undefined;
  /** What was sent, e.g. `PUT http://127.0.0.1:49153/user`. */
  requestLine: string | undefined;
  /** The start of the response body, for failure messages. */
  bodyStart: string | undefined;
  skipReason: string | undefined;
  location: SourceLocation;
}

/** Something that failed the whole file's environment (tests then did not run). */
export interface EnvironmentProblem {
  phase: "start" | "ready" | "setup" | "cancelled";
  message: string;
  location: SourceLocation;
}

export interface SpecFileResult {
  /** Relative to the workspace when inside it. */
  file: string;
  project: string;
  tests: SpecTestResult[];
  problem: EnvironmentProblem | undefined;
  /** Teardown and log problems: reported, never failing the run. */
  warnings: string[];
  durationMs: number;
  /** From `up` to the wait probe answering. */
  readyMs: number | undefined;
  logsFile: string | undefined;
  /** Left running for debugging (keep-on-failure). */
  kept: boolean;
}

export interface ResultCounts {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
}

const BODY_START_LENGTH = 200;

/** The first characters of a body as a JSON string (newlines visible), for a one-line message. */
export function bodyExcerpt(body: string, length = BODY_START_LENGTH): string {
  const start = body.length > length ? `${body.slice(0, length)}…` : body;
  return JSON.stringify(start);
}

export function countResults(files: readonly SpecFileResult[]): ResultCounts {
  const counts: ResultCounts = { passed: 0, failed: 0, skipped: 0, total: 0 };
  for (const test of files.flatMap((file) => file.tests)) {
    counts[test.outcome]++;
    counts.total++;
  }
  return counts;
}

/** Whether anything in the file failed, allowed failures included (its logs are worth keeping). */
export function fileHasFailures(file: SpecFileResult): boolean {
  return file.problem !== undefined || file.tests.some((test) => test.outcome === "failed");
}

/** The run fails on any environment problem and any failed test that is not allowed to fail. */
export function runSucceeded(files: readonly SpecFileResult[]): boolean {
  return files.every(
    (file) =>
      file.problem === undefined &&
      file.tests.every((test) => test.outcome !== "failed" || test.allowedToFail),
  );
}

/** `Pass: name (12 ms)` or `Fail: name (12 ms)` with the reasons, the request and the body's start. */
export function formatTestResult(test: SpecTestResult): string[] {
  const duration = test.durationMs > 0 ? ` (${formatDuration(test.durationMs)})` : "";
  if (test.outcome === "skipped")
    return [`Skip: ${test.name}${test.skipReason ? ` (${test.skipReason})` : ""}`];
  if (test.outcome === "passed") {
    const retried = test.attempts > 1 ? `, attempt ${test.attempts}` : "";
    return [`Pass: ${test.name}${duration.replace(/\)$/, `${retried})`)}`];
  }
  const allowed = test.allowedToFail ? " [continue-on-error]" : "";
  const lines = [`Fail: ${test.name}${duration}${allowed}`];
  for (const failure of test.failures) {
    lines.push(`  ${formatFailure(failure)} (${formatLocation(failure.location)})`);
  }
  if (test.error !== undefined) lines.push(`  ${test.error}`);
  if (test.requestLine !== undefined) lines.push(`  request: ${test.requestLine}`);
  if (test.bodyStart !== undefined) lines.push(`  body: ${test.bodyStart}`);
  if (test.attempts > 1) lines.push(`  after ${test.attempts} attempts`);
  return lines;
}

/** One block per spec file: a heading with the counts, then a line (or a few) per test. */
export function formatFileReport(file: SpecFileResult): string {
  const counts = countResults([file]);
  const parts = [`${counts.passed} passed`, `${counts.failed} failed`];
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  const lines = [`${file.file}: ${parts.join(", ")} in ${formatDuration(file.durationMs)}`];
  if (file.problem !== undefined) lines.push(`  ${file.problem.message}`);
  for (const test of file.tests) lines.push(...formatTestResult(test).map((line) => `  ${line}`));
  for (const warning of file.warnings) lines.push(`  warning: ${warning}`);
  if (file.logsFile !== undefined) lines.push(`  compose logs: ${file.logsFile}`);
  return lines.join("\n");
}

/**
 * The annotations of a file: one per failed matcher at its line, one per test
 * that could not be checked at the test, one for an environment problem.
 * Allowed failures are warnings.
 */
export function fileFindings(file: SpecFileResult): Finding[] {
  const findings: Finding[] = [];
  if (file.problem !== undefined && file.problem.phase !== "cancelled") {
    findings.push({
      severity: "error",
      title: `compose-test: ${file.file}`,
      message: file.problem.message,
      location: file.problem.location,
    });
  }
  for (const test of file.tests) {
    if (test.outcome !== "failed" || (file.problem !== undefined && test.failures.length === 0)) continue;
    const severity = test.allowedToFail ? "warning" : "error";
    for (const failure of test.failures) {
      findings.push({ ...convertFailureToFinding(failure, test.name), severity });
    }
    if (test.error !== undefined && test.failures.length === 0) {
      findings.push({
        severity,
        title: `compose-test: ${test.name}`,
        message: test.error,
        location: test.location,
      });
    }
  }
  return findings;
}

/** `12 passed, 1 failed, 2 skipped` (skipped only when there are some). */
export function formatCounts(counts: ResultCounts): string {
  const parts = [`${counts.passed} passed`, `${counts.failed} failed`];
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  return parts.join(", ");
}
