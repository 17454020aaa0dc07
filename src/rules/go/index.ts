/**
 * Go rules: pure functions over go.mod, `go build`/`go vet`/`gofmt -l` output
 * and `go test -json` events. No I/O, no @actions/core: text in, values out.
 */
export { buildGoBuildArgs, type GoBuildArgsOptions } from "./build-args.js";
export {
  type BuildTarget,
  type BuildTargetsInput,
  packageBinaryName,
  planBuildTargets,
  stageBuildTargets,
} from "./build-targets.js";
export { type GoCacheKeyParts, goCacheAllowed, goCacheKey } from "./cache-key.js";
export { type CompilerOutputOptions, parseCompilerOutput } from "./compiler-output.js";
export {
  defaultBinaryName,
  type GoMod,
  goVersionFromGoMod,
  hasRequirements,
  parseGoMod,
} from "./go-mod.js";
export { parseGofmtList, unformattedFindings } from "./gofmt.js";
export {
  binaryOutputName,
  formatPlatform,
  type Platform,
  parsePlatform,
  platformBuildEnv,
} from "./platform.js";
export {
  displayImportPath,
  type GoBuildFailure,
  type GoTest,
  type GoTestEvent,
  type GoTestOutcome,
  type GoTestPackage,
  type GoTestResult,
  type GoTestRun,
  type GoTestStatus,
  type GoTestTotals,
  parseTestEvents,
  plainTestOutput,
} from "./test-events.js";
export {
  functionPackage,
  type GoTestFailure,
  type GoTestMessage,
  locateTestFailure,
  parseTestMessages,
  summarizeTestOutput,
} from "./test-failure.js";
export {
  flakyTestFindings,
  type PackageDirResolver,
  packageDirResolver,
  type TestFailureFindingsOptions,
  testFailureFindings,
} from "./test-findings.js";
export { formatRunPattern, type GoTestRerun, planTestReruns } from "./test-reruns.js";
export { goTestResultToSuites } from "./test-suites.js";
export { joinWorkspacePath } from "./workspace-path.js";
