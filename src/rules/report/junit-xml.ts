import { formatLocation, type SourceLocation } from "../../errors.js";
import { countTestResults, type TestCaseResult, type TestSuiteResult } from "./test-report.js";

export interface JUnitXmlOptions {
  /** The `<testsuites name>`: what ran, e.g. `go test` or `compose-test`. */
  name: string;
  /** Put passing and skipped cases' details in `<system-out>` (failures always carry theirs). */
  includeOutput?: boolean;
}

/**
 * JUnit XML that validates against Jenkins xUnit's `junit-10.xsd` (the plugin
 * skips files that do not) and that dorny/test-reporter,
 * mikepenz/action-junit-report, EnricoMi/publish-unit-test-result-action and
 * GitLab read: `<testsuites>` > `<testsuite>` > `<testcase>` with times in
 * seconds, `<failure message>`, `<skipped>`. The schema has no `file`/`line`
 * on `<testcase>` (nor `skipped` on `<testsuites>`), so where a case failed
 * travels as the first line of the failure's text, `at path/file.go:42`;
 * the actions annotate that line on GitHub themselves. A flaky case carries
 * one `<flakyFailure>` per failed run, and a failed case that ran again a
 * `<rerunFailure>` per earlier failed run, as Maven Surefire writes them.
 * A suite-level error (a package that did not build) becomes a
 * `<testcase name="[suite error]">` holding an `<error>`, because many
 * consumers only show testcases and would drop an `errors` count alone.
 * The output depends only on the input: no timestamps, no host names.
 */
export function renderJUnitXml(suites: readonly TestSuiteResult[], options: JUnitXmlOptions): string {
  const total = countTestResults(suites);
  const totalMs = suites.reduce((sum, suite) => sum + suite.durationMs, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: options.name,
      tests: total.tests + total.errors,
      failures: total.failed,
      errors: total.errors,
      time: seconds(totalMs),
    })}>`,
  ];
  for (const suite of suites) {
    const counts = countTestResults([suite]);
    lines.push(
      `  <testsuite${attributes({
        name: suite.name,
        tests: counts.tests + counts.errors,
        failures: counts.failed,
        errors: counts.errors,
        skipped: counts.skipped,
        time: seconds(suite.durationMs),
      })}>`,
    );
    for (const testCase of suite.cases) lines.push(...renderCase(testCase, options));
    const errors = suite.errors ?? [];
    errors.forEach((error, index) => {
      const name = errors.length === 1 ? "[suite error]" : `[suite error ${index + 1}]`;
      lines.push(
        `    <testcase${attributes({ name, classname: suite.name, time: seconds(0) })}>`,
        `      <error${attributes({ message: firstLine(error), type: "error" })}>${escapeXmlText(error)}</error>`,
        "    </testcase>",
      );
    });
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>", "");
  return lines.join("\n");
}

function renderCase(testCase: TestCaseResult, options: JUnitXmlOptions): string[] {
  const open = `    <testcase${attributes({
    name: testCase.name,
    classname: testCase.suite,
    time: seconds(testCase.durationMs),
  })}`;
  const body: string[] = [];
  if (testCase.status === "failed") {
    const message = testCase.message ?? "failed";
    const text = withLocation(testCase.location, testCase.details ?? testCase.message ?? "");
    body.push(
      `      <failure${attributes({ message: firstLine(message), type: "failure" })}>${escapeXmlText(text)}</failure>`,
    );
  }
  const rerunElement = testCase.status === "flaky" ? "flakyFailure" : "rerunFailure";
  for (const rerun of testCase.reruns ?? []) {
    const trace = withLocation(rerun.location, rerun.details ?? rerun.message);
    body.push(
      `      <${rerunElement}${attributes({ message: firstLine(rerun.message), type: "failure" })}><stackTrace>${escapeXmlText(trace)}</stackTrace></${rerunElement}>`,
    );
  }
  if (testCase.status !== "failed") {
    if (testCase.status === "skipped")
      body.push(`      <skipped${attributes({ message: testCase.message })}/>`);
    if (options.includeOutput && testCase.details !== undefined && testCase.details !== "") {
      body.push(`      <system-out>${escapeXmlText(testCase.details)}</system-out>`);
    }
  }
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, "    </testcase>"];
}

/** `at internal/auth/auth_test.go:42`, then the text. */
function withLocation(location: SourceLocation | undefined, text: string): string {
  return location === undefined ? text : `at ${formatLocation(location)}\n${text}`;
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join("");
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** A message attribute holds one line; the whole text is in the element body. */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((candidate) => candidate.trim() !== "") ?? "";
  return line.trim();
}

const TEXT_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };
const ATTRIBUTE_ENTITIES: Record<string, string> = {
  ...TEXT_ENTITIES,
  '"': "&quot;",
  "'": "&apos;",
  // Parsers turn raw newlines and tabs in attributes into spaces; references keep them.
  "\n": "&#10;",
  "\t": "&#9;",
};

export function escapeXmlText(text: string): string {
  return replaceEntities(removeXmlForbidden(text), TEXT_ENTITIES);
}

export function escapeXmlAttribute(text: string): string {
  return replaceEntities(removeXmlForbidden(text), ATTRIBUTE_ENTITIES);
}

function replaceEntities(text: string, entities: Record<string, string>): string {
  let out = "";
  for (const char of text) out += entities[char] ?? char;
  return out;
}

/**
 * XML 1.0 cannot carry most control characters, not even as `&#1;`, nor lone
 * surrogates. Terminal colour sequences (ESC [ ... m) are dropped whole, as
 * they are noise in a report; any other such character becomes U+FFFD.
 */
export function removeXmlForbidden(text: string): string {
  let out = "";
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? "";
    const code = char.codePointAt(0) ?? 0;
    if (code === 0x1b && chars[i + 1] === "[") {
      let end = i + 2;
      while (end < chars.length && !/^[@-~]$/.test(chars[end] ?? "")) end++;
      i = end;
      continue;
    }
    out += isXmlChar(code) ? char : "\uFFFD";
  }
  return out;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}
