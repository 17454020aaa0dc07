import type { TestCaseResult, TestCaseStatus, TestSuiteResult } from "../report/test-report.js";
import type { GoTest, GoTestPackage, GoTestResult, GoTestStatus } from "./test-events.js";
import { summarizeTestOutput } from "./test-failure.js";
import type { PackageDirResolver } from "./test-findings.js";
import { joinWorkspacePath } from "./workspace-path.js";

const STATUS: Record<GoTestStatus, TestCaseStatus> = { pass: "passed", fail: "failed", skip: "skipped" };

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
    const dir = test.failure ? packageDir?.(test.package) : undefined;
    if (test.failure && dir !== undefined) {
      testCase.location = { file: joinWorkspacePath(dir, test.failure.file), line: test.failure.line };
    }
  } else if (test.status === "skip" && test.skipMessage !== undefined) {
    testCase.message = test.skipMessage;
  }
  if (test.output.length > 0) testCase.details = test.output.join("\n");
  return testCase;
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
