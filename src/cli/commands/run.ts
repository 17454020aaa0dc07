import { relative, resolve } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { readPipelineOptions } from "../../options/pipeline.js";
import { formatDuration } from "../../rules/format.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import { MemoryState, StateKey } from "../../runtime/state.js";
import { colours } from "../../runtime/terminal-reporter.js";
import { cleanUpComposeTest } from "../../stages/compose-test/stage.js";
import { logoutRegistry } from "../../stages/docker-package/stage.js";
import { saveGoCache } from "../../stages/go-build/cache.js";
import { type PipelineResult, runPipelineStage } from "../../stages/pipeline/stage.js";
import { booleanFlag, type Command, exitCodeOf, type ParsedArgs, stringFlag } from "../command.js";
import { buildLocalRunContext, createPrivateTempDir } from "../local-context.js";
import { readCliOptionSources } from "../option-sources.js";
import { userGoCacheDir } from "./build.js";

/**
 * `goflow run [dir]`: the whole pipeline on a laptop, configured exactly as
 * in CI. Options come from the same input names as the actions: flags first,
 * then the folder's goflow.yml, then the actions' own defaults, read by the
 * actions' own input parsers.
 */
export const runCommand: Command = {
  name: "run",
  summary: "build → package → integration test (→ publish with --push), as the reusable workflow does",
  help: `goflow run: the whole goflow pipeline on your machine

Usage: goflow run [dir] [options]

Builds the Go module in <dir> (default .) in its builder container, packages the binary with the
folder's Dockerfile and tags it by the git-flow rules of the checkout's branch or tag, runs the
compose-test specs against that image in isolated compose environments, and prints a summary.
Nothing is pushed unless you pass --push and the rules say the ref publishes.

Configuration comes from <dir>/goflow.yml (sections build, package and test, keyed by the actions'
input names), so CI and your machine read the same file. Flags override it:

  --image <name>             image to build (goflow.yml package.image)
  --compose-service <name>   compose service that runs the image (goflow.yml test.compose-service)
  --push                     publish after the tests passed, when the git-flow rules say so
  --run-number <n>           the run number for release/hotfix versions (default 0)
  --ref <ref> --sha <sha>    pretend to be another ref or commit (default: the checkout's)
  --keep-on-failure          leave a failed test environment up for debugging

The registry password, when publishing, comes from GOFLOW_REGISTRY_PASSWORD.`,
  options: {
    image: { type: "string" },
    "compose-service": { type: "string" },
    push: { type: "boolean" },
    "run-number": { type: "string" },
    ref: { type: "string" },
    sha: { type: "string" },
    "keep-on-failure": { type: "boolean" },
  },
  async run(args: ParsedArgs, reporter: Reporter): Promise<number> {
    if (args.positionals.length > 1)
      throw new ConfigurationError(`goflow run takes one folder, got ${args.positionals.join(" ")}`);
    const dir = resolve(args.positionals[0] ?? ".");
    const runNumber = stringFlag(args, "run-number") ?? "0";
    if (!/^\d+$/.test(runNumber))
      throw new ConfigurationError(`--run-number must be a whole number, got '${runNumber}'`);
    const context = {
      ...(await buildLocalRunContext(dir, {
        ref: stringFlag(args, "ref"),
        sha: stringFlag(args, "sha"),
        runNumber: Number(runNumber),
      })),
      tempDir: createPrivateTempDir(),
    };
    // Under the root action's input names: flags, then goflow.yml, then the actions' defaults.
    const sources = readCliOptionSources(
      dir,
      {
        "working-directory": relative(context.workspace, dir) || ".",
        image: stringFlag(args, "image"),
        "compose-service": stringFlag(args, "compose-service"),
        "cache-dir": userGoCacheDir(),
        password: process.env.GOFLOW_REGISTRY_PASSWORD,
        "keep-on-failure": booleanFlag(args, "keep-on-failure") || undefined,
      },
      context,
    );
    if (!stringFlag(args, "image") && !sources.config.package.image)
      throw new ConfigurationError(
        `no image to build: pass --image or set package.image in ${relative(process.cwd(), dir) || "."}/goflow.yml`,
      );
    const options = readPipelineOptions(sources, booleanFlag(args, "push"));

    reporter.info(colours.dim(`${context.ref} at ${context.sha.slice(0, 12)} (${context.repository})`));
    const docker = new Docker();
    const state = new MemoryState();
    let buildRunId: string | undefined;
    const cancel = cancelOnSignals((signal) => {
      reporter.warning(`${signal}: stopping; removing this run's containers and environments`);
      if (buildRunId) void docker.removeLabelled(buildRunId);
    });
    try {
      const result = await runPipelineStage(options, {
        reporter,
        docker,
        context,
        // No cache service and no artifacts between jobs locally: neither is given.
        state,
        signal: cancel.signal,
        onRunId: (runId) => {
          buildRunId = runId;
        },
      });
      if (result.build?.status === "ok")
        await saveGoCache(state, { reporter, service: async () => undefined });
      printSummary(result, reporter);
      return cancel.signal.aborted ? 130 : exitCodeOf(result);
    } finally {
      await cleanUpComposeTest(docker, state, reporter);
      const registry = state.get(StateKey.registryLogin);
      if (registry) await logoutRegistry(docker, registry, reporter);
      cancel.dispose();
    }
  },
};

function printSummary(result: PipelineResult, reporter: Reporter): void {
  const mark = {
    passed: colours.green("✓ passed"),
    failed: colours.red("✗ failed"),
    skipped: colours.dim("- skipped"),
  };
  reporter.info("");
  reporter.info(colours.bold("stage     result     time       details"));
  for (const stage of result.stages) {
    const time = stage.status === "skipped" ? "" : formatDuration(stage.durationMs);
    reporter.info(
      `${stage.stage.padEnd(10)}${mark[stage.status]}${" ".repeat(Math.max(1, 11 - stage.status.length - 2))}${time.padEnd(11)}${stage.detail}`,
    );
  }
  reporter.info("");
  if (result.package) {
    reporter.info(`image     ${result.package.references.join("\n          ")}`);
    reporter.info(`version   ${result.package.version} (${result.package.channel})`);
    reporter.info(`publish   ${describePublish(result.package)}`);
  }
  // The test stage writes them under the system's temp folder: say where, as goflow test does.
  if (result.test)
    reporter.info(
      `reports   ${result.test.junitReport} (JUnit), logs of failed environments in ${result.test.logsDir}`,
    );
  reporter.info(
    result.status === "ok"
      ? colours.green("pipeline passed")
      : colours.red(`pipeline failed: ${result.failure}`),
  );
}

function describePublish(packaged: NonNullable<PipelineResult["package"]>): string {
  if (packaged.pushed) return `pushed ${packaged.digest ?? ""}`;
  if (packaged.shouldPush)
    return `not pushed; the rules would publish this ref (${packaged.pushReason}): pass --push`;
  return `not pushed (${packaged.pushReason})`;
}
