/**
 * Report rules shared by the actions: findings (annotations), JUnit XML and
 * job-summary Markdown for test results. Pure: values in, text out.
 */
export { capFindings } from "./cap-findings.js";
export type { Finding } from "./finding.js";
export {
  escapeXmlAttribute,
  escapeXmlText,
  type JUnitXmlOptions,
  removeXmlForbidden,
  renderJUnitXml,
} from "./junit-xml.js";
export {
  escapeMarkdown,
  renderTestSummary,
  type TestSummaryOptions,
  tableCell,
} from "./summary-markdown.js";
export {
  countTestResults,
  type TestCaseRerun,
  type TestCaseResult,
  type TestCaseStatus,
  type TestCounts,
  type TestSuiteResult,
} from "./test-report.js";
