import { formatLocation } from "../../errors.js";
import { formatDuration } from "../format.js";
import {
  countTestResults,
  type TestCaseResult,
  type TestCaseStatus,
  type TestSuiteResult,
} from "./test-report.js";

export interface TestSummaryOptions {
  /** The heading, e.g. `Go tests`. */
  title: string;
  /**
   * `suites`: one row per suite with its counts (Go: one per package).
   * `cases`: one row per case with its suite (compose-test: file | test | result | duration).
   */
  layout: "suites" | "cases";
  /** The suite column's heading: `Package` for `suites`, `File` for `cases` unless given. */
  suiteLabel?: string;
  /** Failing tests (and suite errors) described below the table; the rest are counted. Default 20. */
  maxFailures?: number;
  /** Lines of each failure message shown. Default 10. */
  maxMessageLines?: number;
}

const ICONS: Record<TestCaseStatus, string> = { passed: "✅", failed: "❌", skipped: "⏭️", flaky: "⚠️" };

/**
 * A job-summary section: a status line, a table, then the failing tests with
 * their location and the first lines of their message, then suite errors.
 * A failing case with no message whose name is the parent (`name/…`) of
 * another failing case of its suite is not listed: a Go test that failed only
 * because a subtest did.
 */
export function renderTestSummary(suites: readonly TestSuiteResult[], options: TestSummaryOptions): string {
  const counts = countTestResults(suites);
  const totalMs = suites.reduce((sum, suite) => sum + suite.durationMs, 0);
  const failing = counts.failed > 0 || counts.errors > 0;
  const status = [
    failing ? `❌ **${counts.failed} failed**` : "✅ **all passed**",
    `${counts.passed} passed`,
    `${counts.skipped} skipped`,
  ];
  if (counts.flaky > 0) status.push(`**${counts.flaky} flaky**`);
  if (counts.errors > 0) status.push(`**${counts.errors} ${counts.errors === 1 ? "error" : "errors"}**`);
  const out = [
    `## ${escapeMarkdown(options.title)}`,
    "",
    `${status.join(", ")} in ${formatDuration(totalMs)}`,
    "",
  ];

  if (options.layout === "suites") out.push(...renderSuiteTable(suites, options.suiteLabel ?? "Package"));
  else out.push(...renderCaseTable(suites, options.suiteLabel ?? "File"));

  const maxFailures = options.maxFailures ?? 20;
  const maxLines = options.maxMessageLines ?? 10;
  const failures = suites.flatMap((suite) => listedFailures(suite.cases));
  if (failures.length > 0) {
    out.push("", "### Failing tests");
    for (const testCase of failures.slice(0, maxFailures)) {
      const where = testCase.location ? ` at ${escapeMarkdown(formatLocation(testCase.location))}` : "";
      out.push("", `❌ **${escapeMarkdown(testCase.name)}** in ${escapeMarkdown(testCase.suite)}${where}`);
      if (testCase.message) out.push("", ...fence(testCase.message, maxLines));
    }
    if (failures.length > maxFailures)
      out.push("", `…and ${failures.length - maxFailures} more failing tests`);
  }

  const flaky = suites.flatMap((suite) => suite.cases.filter((testCase) => testCase.status === "flaky"));
  if (flaky.length > 0) {
    out.push("", "### Flaky tests", "", "Failed, then passed when run again: not counted as failures.");
    for (const testCase of flaky.slice(0, maxFailures)) {
      const where = testCase.location ? ` at ${escapeMarkdown(formatLocation(testCase.location))}` : "";
      const runs = (testCase.reruns?.length ?? 0) + 1;
      const failedRuns = testCase.reruns?.length ?? 0;
      out.push(
        "",
        `⚠️ **${escapeMarkdown(testCase.name)}** in ${escapeMarkdown(testCase.suite)}${where}: failed ${failedRuns} of ${runs} runs`,
      );
      if (testCase.message) out.push("", ...fence(testCase.message, maxLines));
    }
    if (flaky.length > maxFailures) out.push("", `…and ${flaky.length - maxFailures} more flaky tests`);
  }

  const errors = suites.flatMap((suite) =>
    (suite.errors ?? []).map((error) => ({ suite: suite.name, error })),
  );
  if (errors.length > 0) {
    out.push("", "### Errors");
    for (const { suite, error } of errors.slice(0, maxFailures)) {
      out.push("", `❌ **${escapeMarkdown(suite)}**`, "", ...fence(error, maxLines));
    }
    if (errors.length > maxFailures) out.push("", `…and ${errors.length - maxFailures} more errors`);
  }
  out.push("");
  return out.join("\n");
}

function renderSuiteTable(suites: readonly TestSuiteResult[], label: string): string[] {
  const rows = [
    `| | ${escapeMarkdown(label)} | Passed | Failed | Flaky | Skipped | Time |`,
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const suite of suites) {
    const counts = countTestResults([suite]);
    rows.push(
      `| ${suiteIcon(counts)} | ${escapeMarkdown(suite.name)} | ${counts.passed} | ${counts.failed} | ${counts.flaky} | ${counts.skipped} | ${formatDuration(suite.durationMs)} |`,
    );
  }
  const total = countTestResults(suites);
  const totalMs = suites.reduce((sum, suite) => sum + suite.durationMs, 0);
  rows.push(
    `| | **Total** | **${total.passed}** | **${total.failed}** | **${total.flaky}** | **${total.skipped}** | **${formatDuration(totalMs)}** |`,
  );
  return rows;
}

function renderCaseTable(suites: readonly TestSuiteResult[], label: string): string[] {
  const rows = [`| ${escapeMarkdown(label)} | Test | Result | Duration |`, "| --- | --- | --- | ---: |"];
  for (const suite of suites) {
    for (const testCase of suite.cases) {
      rows.push(
        `| ${escapeMarkdown(suite.name)} | ${escapeMarkdown(testCase.name)} | ${ICONS[testCase.status]} ${testCase.status} | ${formatDuration(testCase.durationMs)} |`,
      );
    }
    for (const _ of suite.errors ?? []) {
      rows.push(`| ${escapeMarkdown(suite.name)} | (suite error) | ❌ error | |`);
    }
  }
  return rows;
}

function suiteIcon(counts: ReturnType<typeof countTestResults>): string {
  if (counts.failed > 0 || counts.errors > 0) return ICONS.failed;
  if (counts.flaky > 0) return ICONS.flaky;
  if (counts.passed === 0) return ICONS.skipped;
  return ICONS.passed;
}

function listedFailures(cases: readonly TestCaseResult[]): TestCaseResult[] {
  const failed = cases.filter((testCase) => testCase.status === "failed");
  return failed.filter(
    (testCase) =>
      testCase.message !== undefined ||
      testCase.location !== undefined ||
      !failed.some((other) => other.name.startsWith(`${testCase.name}/`)),
  );
}

/** A fenced block longer than any backtick run inside, so the text cannot close it. */
function fence(text: string, maxLines: number): string[] {
  const lines = text.split(/\r?\n/);
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`… ${lines.length - maxLines} more lines`);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marker = "`".repeat(Math.max(3, longest + 1));
  return [`${marker}text`, ...shown, marker];
}

/**
 * Text safe inside a table cell or a line of Markdown: Markdown and HTML
 * punctuation is backslash-escaped (`|` must be, or it splits the cell) and
 * line breaks become `<br>`, as a cell cannot span lines.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&]/g, "\\$&").replace(/\r\n|\r|\n/g, "<br>");
}

/**
 * Text for a table cell that may hold Markdown of its own (code spans, links,
 * `<br>`): a cell is one line, and a `|` would end it. `maxLength` shortens
 * long text with an ellipsis. For text that must show literally, use
 * {@link escapeMarkdown}.
 */
export function tableCell(text: string, maxLength?: number): string {
  const line = text.replace(/\s*\r?\n\s*/g, " ");
  const short = maxLength !== undefined && line.length > maxLength ? `${line.slice(0, maxLength)}…` : line;
  return short.replace(/\|/g, "\\|");
}
