import type { SourceLocation } from "../../errors.js";
import type {
  TestCaseRerun,
  TestCaseResult,
  TestCaseStatus,
  TestSuiteResult,
} from "../report/test-report.js";
import type { GoTest, GoTestOutcome, GoTestPackage, GoTestResult } from "./test-events.js";
import { type GoTestFailure, summarizeTestOutput } from "./test-failure.js";
import type { PackageDirResolver } from "./test-findings.js";
import { joinWorkspacePath } from "./workspace-path.js";

const STATUS: Record<GoTestOutcome, TestCaseStatus> = {
  pass: "passed",
  fail: "failed",
  skip: "skipped",
  flaky: "flaky",
};

/**
 * One suite per package, one case per test and subtest, for the JUnit report
 * and the job summary. With `packageDir`, failures carry workspace-relative
 * locations. A build failure, or a package failing outside any test, is a
 * suite error. A parent failing only because of subtests gets no message.
 */
export function goTestResultToSuites(
  result: GoTestResult,
  options: { packageDir?: PackageDirResolver } = {},
): TestSuiteResult[] {
  return result.packages.map((pkg) => {
    const suite: TestSuiteResult = {
      name: pkg.name,
      durationMs: Math.round(pkg.elapsed * 1000),
      cases: pkg.tests.map((test) => convertTest(test, pkg, options.packageDir)),
    };
    const errors = packageErrors(pkg);
    if (errors.length > 0) suite.errors = errors;
    return suite;
  });
}

function convertTest(
  test: GoTest,
  pkg: GoTestPackage,
  packageDir: PackageDirResolver | undefined,
): TestCaseResult {
  const testCase: TestCaseResult = {
    suite: test.package,
    name: test.name,
    status: STATUS[test.status],
    durationMs: Math.round(test.elapsed * 1000),
  };
  if (test.status === "fail") {
    const failingSubtest = pkg.tests.some(
      (other) => other.status === "fail" && other.name.startsWith(`${test.name}/`),
    );
    if (test.failure) testCase.message = test.failure.message;
    else if (!failingSubtest) testCase.message = summarizeTestOutput(test.output) || "failed";
    const location = locateFailure(test.package, test.failure, packageDir);
    if (location) testCase.location = location;
  } else if (test.status === "skip" && test.skipMessage !== undefined) {
    testCase.message = test.skipMessage;
  }
  if (test.output.length > 0) testCase.details = test.output.join("\n");
  if (test.failedRuns) {
    testCase.reruns = test.failedRuns.map((run) => {
      const rerun: TestCaseRerun = {
        message: run.failure?.message ?? (summarizeTestOutput(run.output) || "failed"),
        durationMs: Math.round(run.elapsed * 1000),
      };
      if (run.output.length > 0) rerun.details = run.output.join("\n");
      const location = locateFailure(test.package, run.failure, packageDir);
      if (location) rerun.location = location;
      return rerun;
    });
    // A flaky case is known by its failed runs; the last of them says where it failed.
    const last = testCase.reruns.at(-1);
    if (test.status === "flaky" && last) {
      testCase.message = last.message;
      if (last.location) testCase.location = last.location;
    }
  }
  return testCase;
}

function locateFailure(
  packageName: string,
  failure: GoTestFailure | undefined,
  packageDir: PackageDirResolver | undefined,
): SourceLocation | undefined {
  const dir = failure ? packageDir?.(packageName) : undefined;
  if (!failure || dir === undefined) return undefined;
  return { file: joinWorkspacePath(dir, failure.file), line: failure.line };
}

function packageErrors(pkg: GoTestPackage): string[] {
  if (pkg.buildFailure) {
    const output = pkg.buildFailure.output.filter((line) => !line.startsWith("#"));
    return [["build failed", ...output].join("\n")];
  }
  if (pkg.status === "fail" && pkg.failed === 0) {
    const summary = summarizeTestOutput(pkg.output);
    return [summary ? `failed outside any test\n${summary}` : "failed outside any test"];
  }
  return [];
}
