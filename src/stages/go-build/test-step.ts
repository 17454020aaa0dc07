import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { BuildOptions } from "../../options/go-build.js";
import { lastLines, plural } from "../../rules/format.js";
import {
  flakyTestFindings,
  type GoTestResult,
  type GoTestTotals,
  goTestResultToSuites,
  packageDirResolver,
  parseTestEvents,
  plainTestOutput,
  planTestReruns,
  testFailureFindings,
} from "../../rules/go/index.js";
import { renderJUnitXml, renderTestSummary } from "../../rules/report/index.js";
import type { GoContainer } from "../../runtime/go-container.js";
import type { ProcessResult } from "../../runtime/process.js";
import type { Reporter } from "../../runtime/reporter.js";
import { lineSplitter, runGo } from "./go-commands.js";
import type { BuildPlan } from "./plan.js";
import { MAX_ANNOTATIONS } from "./steps.js";

export interface TestOutcome {
  totals: GoTestTotals;
  failure: string | undefined;
  note: string;
  /** The job summary's test section. */
  summary: string;
}

/** `go test -json ./...`, the reruns of what failed, the JUnit report and the summary's section. */
export async function runTests(
  go: GoContainer,
  plan: BuildPlan,
  flags: string[],
  options: Pick<BuildOptions, "junitReport" | "rerunFailed">,
  reporter: Reporter,
): Promise<TestOutcome> {
  const first = await runGoTest(go, [...flags, "./..."], reporter);
  // Every run's events and Go < 1.24's plain build output on stderr, read as one stream.
  let stream = `${first.stdout}\n${first.stderr}`;
  let parsed = parseTestEvents(stream);
  let exitCode = first.exitCode;
  for (let round = 1; exitCode !== 0 && round <= options.rerunFailed; round++) {
    const reruns = planTestReruns(parsed);
    if (reruns.length === 0) break;
    exitCode = 0;
    for (const rerun of reruns) {
      reporter.info(
        `rerun ${round} of ${options.rerunFailed}: go test -run '${rerun.pattern}' ${rerun.package}`,
      );
      const result = await runGoTest(go, [...flags, "-run", rerun.pattern, rerun.package], reporter);
      stream += `\n${result.stdout}\n${result.stderr}`;
      if (result.exitCode !== 0) exitCode = result.exitCode;
    }
    parsed = parseTestEvents(stream);
  }
  printFailingTests(parsed, reporter);

  const packageDir = packageDirResolver(plan.goMod.module, plan.baseDir);
  for (const finding of flakyTestFindings(parsed, { packageDir })) reporter.annotate(finding);
  const suites = goTestResultToSuites(parsed, { packageDir });
  const junitReport = options.junitReport;
  if (junitReport) {
    mkdirSync(dirname(junitReport), { recursive: true });
    writeFileSync(junitReport, renderJUnitXml(suites, { name: "go test" }));
    reporter.info(`JUnit report: ${junitReport}`);
  }
  const summary = renderTestSummary(suites, { title: "Go tests", layout: "suites" });

  const { totals } = parsed;
  const flaky = totals.flaky > 0 ? `, ${totals.flaky} flaky` : "";
  const note = `${totals.passed} passed, ${totals.failed} failed${flaky}, ${totals.skipped} skipped in ${totals.packages} packages`;
  // go fails a run with a flaky test (-count=N) too; it passed when nothing failed for good.
  const passed =
    exitCode === 0 ||
    (totals.flaky > 0 &&
      totals.failed === 0 &&
      totals.failedPackages === 0 &&
      parsed.buildFailures.length === 0);
  if (passed) return { totals, failure: undefined, note, summary };
  const findings = testFailureFindings(parsed, { packageDir, baseDir: plan.baseDir, limit: MAX_ANNOTATIONS });
  for (const finding of findings) reporter.annotate(finding);
  if (findings.length === 0) {
    // go itself refused to run (a bad flag, no packages): its words are all there is.
    const message =
      lastLines(first.stderr || parsed.unparsed.join("\n"), 20) || `go test exited ${first.exitCode}`;
    reporter.annotate({ severity: "error", title: "go test", message });
    return { totals, failure: message.split("\n")[0], note, summary };
  }
  const failure =
    parsed.buildFailures.length > 0
      ? `${plural(parsed.buildFailures.length, "package", "packages")} did not compile; ${note}`
      : `${plural(totals.failed, "test", "tests")} failed (${note})`;
  return { totals, failure, note, summary };
}

/** `go test -json <args>`; the log shows the lines a plain `go test` would print per package. */
async function runGoTest(go: GoContainer, args: string[], reporter: Reporter): Promise<ProcessResult> {
  const echo = lineSplitter((line) => {
    const output = plainTestOutput(line);
    if (output !== undefined) reporter.info(output);
  });
  const result = await runGo(go, ["go", "test", "-json", ...args], reporter, { onStdout: echo.push });
  echo.flush();
  return result;
}

function printFailingTests(parsed: GoTestResult, reporter: Reporter): void {
  for (const pkg of parsed.packages) {
    for (const failed of pkg.tests.filter((t) => t.status === "fail")) {
      reporter.info(`--- FAIL: ${failed.name} (${pkg.name})`);
      for (const line of failed.output) reporter.info(line);
    }
  }
}
