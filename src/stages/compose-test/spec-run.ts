import { rmSync } from "node:fs";
import { join } from "node:path";
import { composeProjectName, composeServiceNames, requestTargets } from "../../rules/compose/index.js";
import type { SpecStep } from "../../rules/spec/spec.js";
import { bindServiceUrls } from "../../rules/spec/target.js";
import { ComposeEnvironment } from "../../runtime/compose.js";
import { describeCommand, describeFailure } from "../../runtime/process.js";
import { bringUp } from "./bring-up.js";
import { type PreparedEnvironment, prepareEnvironment, tearDownEnvironment } from "./environment.js";
import type { SpecFileResult } from "./results.js";
import { fileStart, type LoadedSpec, type SpecRunShared } from "./spec-run-shared.js";
import { notRunTest, runTest, skippedTest } from "./spec-tests.js";

/** `setup`/`teardown` commands are given this long. */
const STEP_TIMEOUT_MS = 5 * 60_000;

/**
 * Runs one spec file in an environment of its own: a unique compose project,
 * brought up, waited for, set up, tested, torn down (whatever happened, unless
 * keep-on-failure keeps a failed one). Never throws for what happens inside
 * the environment: it all ends up in the returned result.
 */
export async function runSpecFile(written: LoadedSpec, shared: SpecRunShared): Promise<SpecFileResult> {
  // URLs whose host is a compose service go to its published port, like targets.
  const loaded = { ...written, spec: bindServiceUrls(written.spec, composeServiceNames(shared.config)) };
  const { spec, file } = loaded;
  const { reporter, context, signal } = shared;
  const started = performance.now();
  const project = composeProjectName({
    repository: context.repository,
    runId: context.runId,
    runAttempt: context.runAttempt,
    job: context.job,
    file,
    random: shared.random(),
  });
  const log = (message: string) => reporter.info(`[${file}] ${message}`);
  const result: SpecFileResult = {
    file,
    project,
    tests: [],
    problem: undefined,
    warnings: [],
    durationMs: 0,
    readyMs: undefined,
    logsFile: undefined,
    kept: false,
  };
  if (signal.aborted) {
    result.problem = {
      phase: "cancelled",
      message: "not started: the run was cancelled",
      location: fileStart(file),
    };
    result.tests = spec.tests.map((test) => skippedTest(test, "cancelled"));
    return result;
  }

  const targets = requestTargets(spec);
  let prepared: PreparedEnvironment;
  try {
    prepared = await prepareEnvironment(shared, project, targets);
  } catch (error) {
    rmSync(join(shared.tempDir, project), { recursive: true, force: true });
    const message = `could not prepare the environment: ${error instanceof Error ? error.message : String(error)}`;
    result.problem = { phase: "start", message, location: fileStart(file) };
    result.tests = spec.tests.map((test) => notRunTest(test, "start"));
    return result;
  }
  const environment = new ComposeEnvironment(shared.docker, project, prepared.files);
  shared.projectStarting(project);
  try {
    log(`starting environment ${project}`);
    const endpoints = await bringUp({ environment, loaded, targets, prepared, shared, result });
    if (endpoints !== undefined && (await runSteps(environment, spec.setup, "setup", shared, result))) {
      const vars: Record<string, string> = {};
      for (const test of spec.tests) result.tests.push(await runTest(test, vars, endpoints, shared));
      await runSteps(environment, spec.teardown, "teardown", shared, result);
    }
    const problem = result.problem;
    if (problem !== undefined) {
      result.tests = spec.tests.map((test) =>
        problem.phase === "cancelled" ? skippedTest(test, "cancelled") : notRunTest(test, problem.phase),
      );
    }
  } catch (error) {
    // A broken engine or a bug: the file fails with the reason, the teardown below still runs.
    const message = error instanceof Error ? error.message : String(error);
    result.problem = { phase: "start", message, location: fileStart(file) };
    const done = new Set(result.tests.map((test) => test.name));
    result.tests.push(
      ...spec.tests.filter((test) => !done.has(test.name)).map((test) => notRunTest(test, "start")),
    );
  } finally {
    await tearDownEnvironment(environment, prepared, shared, result);
    result.durationMs = Math.round(performance.now() - started);
  }
  return result;
}

/** Runs setup or teardown commands; returns false after recording a failed setup step. */
async function runSteps(
  environment: ComposeEnvironment,
  steps: readonly SpecStep[],
  phase: "setup" | "teardown",
  shared: SpecRunShared,
  result: SpecFileResult,
): Promise<boolean> {
  for (const step of steps) {
    if (shared.signal.aborted && phase === "setup") {
      result.problem = { phase: "cancelled", message: "cancelled during setup", location: step.location };
      return false;
    }
    const command = describeCommand(step.service, step.command).replace(/^\S+ /, "");
    const outcome = await environment.exec(step.service, step.command, STEP_TIMEOUT_MS);
    if (outcome.exitCode === 0 && !outcome.timedOut) {
      shared.reporter.info(`[${result.file}] ${phase}: ${step.service}: ${command}`);
      continue;
    }
    const message = `${phase} step in service '${step.service}' failed: ${describeFailure(outcome)}`;
    if (phase === "teardown") {
      result.warnings.push(message);
      continue;
    }
    result.problem = { phase: "setup", message, location: step.location };
    return false;
  }
  return true;
}
