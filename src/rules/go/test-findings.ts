import { capFindings } from "../report/cap-findings.js";
import type { Finding } from "../report/finding.js";
import { parseCompilerOutput } from "./compiler-output.js";
import {
  displayImportPath,
  type GoBuildFailure,
  type GoTest,
  type GoTestPackage,
  type GoTestResult,
} from "./test-events.js";
import { locateTestFailure, summarizeTestOutput } from "./test-failure.js";
import { joinWorkspacePath } from "./workspace-path.js";

/** Maps an import path to its directory relative to the workspace root, or undefined when unknown. */
export type PackageDirResolver = (importPath: string) => string | undefined;

export interface TestFailureFindingsOptions {
  packageDir: PackageDirResolver;
  /** Where `go test` ran, relative to the workspace root: build output paths are relative to it. */
  baseDir?: string;
  /** Findings kept before the "N more" notice. Default 10, GitHub's per-step error annotation limit. */
  limit?: number;
}

/**
 * The directories of a module's packages: `example.com/app/internal/auth` in a
 * module at `services/app` → `services/app/internal/auth`. Import paths outside
 * the module give undefined.
 */
export function packageDirResolver(modulePath: string, moduleDir = "."): PackageDirResolver {
  return (importPath) => {
    const path = displayImportPath(importPath);
    if (path === modulePath) return joinWorkspacePath(moduleDir, ".");
    if (!path.startsWith(`${modulePath}/`)) return undefined;
    return joinWorkspacePath(moduleDir, path.slice(modulePath.length + 1));
  };
}

/**
 * Error annotations for a `go test` run: compiler errors of failed builds
 * first, then one per failing test at its failing line, then packages that
 * failed outside any test (TestMain, init, a crash), capped at `limit`.
 * A failing subtest is annotated, not the parents that fail because of it;
 * a parent with a failure of its own (an assertion after its subtests) is.
 */
export function testFailureFindings(result: GoTestResult, options: TestFailureFindingsOptions): Finding[] {
  const findings = result.buildFailures.flatMap((failure) => buildFailureFindings(failure, options.baseDir));
  for (const pkg of result.packages) {
    const failed = pkg.tests.filter((test) => test.status === "fail");
    for (const test of failed) {
      if (isAnnotated(test, failed)) findings.push(testFinding(test, options.packageDir));
    }
    if (pkg.status === "fail" && failed.length === 0 && !pkg.buildFailure) {
      findings.push(packageFinding(pkg, options.packageDir));
    }
  }
  // Build errors come first, so what is cut can be either kind: name neither.
  return capFindings(
    findings,
    options.limit ?? 10,
    (count) =>
      `${count} more ${count === 1 ? "failure" : "failures"} not annotated; the job summary lists every failing test`,
  );
}

/**
 * One warning per flaky test (failed, then passed when run again), at the
 * line where its last failed run failed; a parent that was flaky only
 * because a subtest was is not annotated.
 */
export function flakyTestFindings(
  result: GoTestResult,
  options: { packageDir: PackageDirResolver },
): Finding[] {
  return result.packages.flatMap((pkg) => {
    const flaky = pkg.tests.filter((test) => test.status === "flaky");
    return flaky
      .filter((test) => !flaky.some((other) => other.name.startsWith(`${test.name}/`)))
      .map((test): Finding => {
        const runs = test.failedRuns ?? [];
        const last = runs.at(-1);
        const failed = `failed ${runs.length} of ${runs.length + 1} runs, then passed`;
        const finding: Finding = {
          severity: "warning",
          title: `go test: flaky ${test.name}`,
          message: `${failed}: ${last?.failure?.message ?? (summarizeTestOutput(last?.output ?? []) || "failed")}`,
        };
        const dir = last?.failure ? options.packageDir(test.package) : undefined;
        if (last?.failure && dir !== undefined) {
          finding.location = { file: joinWorkspacePath(dir, last.failure.file), line: last.failure.line };
        }
        return finding;
      });
  });
}

function isAnnotated(test: GoTest, failed: readonly GoTest[]): boolean {
  if (test.failure) return true;
  const hasFailingSubtest = failed.some((other) => other.name.startsWith(`${test.name}/`));
  const parentExplains = failed.some((other) => test.name.startsWith(`${other.name}/`) && other.failure);
  return !hasFailingSubtest && !parentExplains;
}

function testFinding(test: GoTest, packageDir: PackageDirResolver): Finding {
  const title = `go test: ${test.name}`;
  const failure = test.failure;
  if (!failure) {
    return {
      severity: "error",
      title,
      message: `${test.package}: ${summarizeTestOutput(test.output) || "failed"}`,
    };
  }
  const dir = packageDir(test.package);
  if (dir === undefined) {
    return { severity: "error", title, message: `${failure.file}:${failure.line}: ${failure.message}` };
  }
  return {
    severity: "error",
    title,
    message: failure.message,
    location: { file: joinWorkspacePath(dir, failure.file), line: failure.line },
  };
}

function packageFinding(pkg: GoTestPackage, packageDir: PackageDirResolver): Finding {
  const finding: Finding = {
    severity: "error",
    title: `go test: ${pkg.name}`,
    message: summarizeTestOutput(pkg.output) || "the package failed outside any test",
  };
  const failure = locateTestFailure(pkg.output, pkg.name);
  const dir = packageDir(pkg.name);
  if (failure && dir !== undefined)
    finding.location = { file: joinWorkspacePath(dir, failure.file), line: failure.line };
  return finding;
}

function buildFailureFindings(failure: GoBuildFailure, baseDir: string | undefined): Finding[] {
  const title = `build failed: ${displayImportPath(failure.importPath)}`;
  const text = failure.output.join("\n");
  const findings = parseCompilerOutput(text, { baseDir, title });
  if (findings.length > 0) return findings;
  // Setup failures (`stat ./x: directory not found`) have no file to point at.
  const message = failure.output.filter((line) => !line.startsWith("#")).join("\n") || "build failed";
  return [{ severity: "error", title, message }];
}
