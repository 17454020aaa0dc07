import { formatLocation } from "../../errors.js";
import { formatFailure } from "../../rules/assert/failure.js";
import { formatDuration } from "../../rules/format.js";
import { renderJUnitXml } from "../../rules/report/junit-xml.js";
import { tableCell } from "../../rules/report/summary-markdown.js";
import type { TestCaseResult, TestSuiteResult } from "../../rules/report/test-report.js";
import {
  formatCounts,
  formatTestResult,
  type ResultCounts,
  type SpecFileResult,
  type SpecTestResult,
} from "./results.js";

/** One JUnit suite per spec file, one case per test. */
export function toTestSuites(files: readonly SpecFileResult[]): TestSuiteResult[] {
  return files.map((file) => ({
    name: file.file,
    durationMs: file.durationMs,
    cases: file.tests.map((test) => toTestCase(file.file, test)),
  }));
}

function toTestCase(suite: string, test: SpecTestResult): TestCaseResult {
  const testCase: TestCaseResult = {
    suite,
    name: test.name,
    status: test.outcome,
    durationMs: test.durationMs,
    location: test.failures[0]?.location ?? test.location,
  };
  if (test.outcome === "skipped" && test.skipReason !== undefined) testCase.message = test.skipReason;
  if (test.outcome === "failed") {
    const first = test.failures[0];
    testCase.message = first !== undefined ? formatFailure(first) : (test.error ?? "failed");
    // The same lines as the log, without the Fail: heading.
    testCase.details = formatTestResult(test)
      .slice(1)
      .map((line) => line.trim())
      .join("\n");
  }
  return testCase;
}

export function renderJUnitReport(files: readonly SpecFileResult[]): string {
  return renderJUnitXml(toTestSuites(files), { name: "compose-test" });
}

/**
 * The job summary: the counts, the run's warnings (what isolation could not
 * isolate), then one row per test (file, test, result, duration).
 */
export function renderSummaryTable(
  files: readonly SpecFileResult[],
  counts: ResultCounts,
  warnings: readonly string[] = [],
): string {
  const rows = ["| File | Test | Result | Duration |", "| --- | --- | --- | --- |"];
  for (const file of files) {
    if (file.problem !== undefined && file.problem.phase !== "cancelled") {
      rows.push(
        `| ${cell(file.file)} | (environment) | ❌ ${cell(file.problem.message)} | ${formatDuration(file.durationMs)} |`,
      );
    }
    for (const test of file.tests) {
      rows.push(
        `| ${cell(file.file)} | ${cell(test.name)} | ${resultCell(test)} | ${test.durationMs > 0 ? formatDuration(test.durationMs) : ""} |`,
      );
    }
  }
  const logs = files.filter((file) => file.logsFile !== undefined);
  const footer =
    logs.length > 0
      ? `\nCompose logs of the environments with failures: ${logs.map((f) => `\`${f.logsFile}\``).join(", ")}\n`
      : "";
  const notes = warnings.map((warning) => `> ⚠️ ${warning.replace(/\s*\n\s*/g, " ")}\n`).join("");
  return `### compose-test: ${formatCounts(counts)}\n\n${notes ? `${notes}\n` : ""}${rows.join("\n")}\n${footer}`;
}

/** Spec messages can be long: cells are cut at 160 characters, the annotations keep the whole text. */
const cell = (text: string) => tableCell(text, 160);

function resultCell(test: SpecTestResult): string {
  if (test.outcome === "passed") return "✅ passed";
  if (test.outcome === "skipped") return `⏭️ skipped${test.skipReason ? ` (${cell(test.skipReason)})` : ""}`;
  const first = test.failures[0];
  const reason =
    first !== undefined ? `${formatFailure(first)} (${formatLocation(first.location)})` : (test.error ?? "");
  return `${test.allowedToFail ? "⚠️ failed (continue-on-error)" : "❌ failed"}: ${cell(reason)}`;
}
