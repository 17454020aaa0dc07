import { ConfigurationError } from "../../errors.js";
import type { PipelineOptions } from "../../options/pipeline.js";
import { formatDuration } from "../../rules/format.js";
import { computeImageTags } from "../../rules/gitflow/index.js";
import { tableCell } from "../../rules/report/index.js";
import type { Reporter } from "../../runtime/reporter.js";
import { type ComposeTestResult, composeTestOutputs, runComposeTestStage } from "../compose-test/stage.js";
import { packageOutputs } from "../docker-package/report.js";
import { type PackageResult, publishPackagedImage, runPackageStage } from "../docker-package/stage.js";
import { gitflowInputOf } from "../gitflow-input.js";
import { type BuildResult, buildOutputs, runBuildStage } from "../go-build/stage.js";
import type { StageOutcome, StageRuntime } from "../stage-contract.js";

export type StageName = "build" | "package" | "test" | "publish";

export interface StageReport {
  stage: StageName;
  status: "passed" | "failed" | "skipped";
  durationMs: number;
  detail: string;
}

/** cancelled when the signal stopped a stage; `failure` names the first stage that did not pass. */
export interface PipelineResult extends StageOutcome {
  stages: StageReport[];
  build: BuildResult | undefined;
  package: PackageResult | undefined;
  test: ComposeTestResult | undefined;
}

/**
 * The three stages in one run, as the Jenkins pipelines it replaces had them:
 * build → package → integration test → publish. The image is tagged by the
 * git-flow rules but pushed only after every test passed, and it is the image
 * that was tested, never a rebuilt one. Used by the root action and `goflow run`.
 */
export async function runPipelineStage(
  options: PipelineOptions,
  runtime: StageRuntime,
): Promise<PipelineResult> {
  if (!options.composeService)
    throw new ConfigurationError(
      "compose-service is empty: name the compose service that runs the image this pipeline builds (for example goauth), so the tests run that image",
    );
  const run = new PipelineRun(runtime.reporter);
  const { result } = run;
  // The binary is stamped with the version the image will be tagged with, under the package's git-flow settings.
  const version =
    options.build.version ??
    computeImageTags({ ...gitflowInputOf(runtime.context), settings: options.package.gitflow }).version;
  result.build = await run.stage(
    "build",
    () => runBuildStage({ ...options.build, version, artifactName: undefined }, runtime),
    (build) => (build.status === "ok" ? describeBuild(build) : (build.failure ?? build.status)),
  );
  if (result.build.status !== "ok") return run.finish(runtime, "package", "test", "publish");

  // The binary is already in the context; publishing waits until the tests passed.
  const packaged = await run.stage(
    "package",
    () => runPackageStage({ ...options.package, artifactName: undefined, deferPush: true }, runtime),
    (value) =>
      value.packaged
        ? `${value.packaged.references[0] ?? value.packaged.image} (version ${value.packaged.version}, channel ${value.packaged.channel})`
        : value.failure,
  );
  result.package = packaged.packaged;
  if (packaged.packaged === undefined) return run.finish(runtime, "test", "publish");
  const image = packaged.packaged;

  result.test = await run.stage(
    "test",
    () =>
      runComposeTestStage(
        {
          ...options.test,
          images: { ...options.test.images, [options.composeService]: image.references[0] ?? "" },
        },
        runtime,
      ),
    (tested) => tested.failure ?? `${tested.counts.passed} of ${tested.counts.total} passed`,
  );
  if (result.test.status !== "ok") return run.finish(runtime, "publish");

  if (!image.shouldPush || !options.publish) {
    const why = !image.shouldPush ? image.pushReason : "not asked to publish (--push)";
    result.stages.push({ stage: "publish", status: "skipped", durationMs: 0, detail: why });
  } else {
    result.package = await run.stage(
      "publish",
      async () => ({
        status: "ok",
        failure: undefined,
        ...(await publishPackagedImage(image, options.package, runtime)),
      }),
      (value) => (value.digest ? `${value.image}@${value.digest}` : value.references.join(", ")),
    );
  }
  return run.finish(runtime);
}

/** The stages run so far, each timed in its log group, and the first that did not pass. */
class PipelineRun {
  readonly result: PipelineResult = {
    status: "ok",
    failure: undefined,
    stages: [],
    build: undefined,
    package: undefined,
    test: undefined,
  };
  constructor(private readonly reporter: Reporter) {}

  async stage<T extends StageOutcome>(
    stage: StageName,
    run: () => Promise<T>,
    describe: (outcome: T) => string,
  ): Promise<T> {
    const started = Date.now();
    const outcome = await this.reporter.group(`stage ${stage}`, run);
    const detail = describe(outcome);
    const passed = outcome.status === "ok";
    this.result.stages.push({
      stage,
      status: passed ? "passed" : "failed",
      durationMs: Date.now() - started,
      detail,
    });
    if (!passed && this.result.status === "ok") {
      this.result.status = outcome.status;
      this.result.failure = `${stage}: ${detail}`;
    }
    return outcome;
  }

  /** Marks the stages that did not run, and writes the job summary. */
  async finish(runtime: StageRuntime, ...skipped: StageName[]): Promise<PipelineResult> {
    for (const stage of skipped)
      this.result.stages.push({ stage, status: "skipped", durationMs: 0, detail: "" });
    if (this.result.status === "failure" && runtime.signal?.aborted) this.result.status = "cancelled";
    await this.reporter.appendSummary(renderPipelineSummary(this.result));
    return this.result;
  }
}

/** The root action's outputs: those of every stage that ran, by output name. */
export function pipelineOutputs(result: PipelineResult): Record<string, string> {
  return {
    ...(result.build ? buildOutputs(result.build) : {}),
    ...(result.package ? packageOutputs(result.package) : {}),
    ...(result.test ? composeTestOutputs(result.test) : {}),
  };
}

function describeBuild(build: BuildResult): string {
  const tests = build.tests ? `, tests ${build.tests.passed} passed ${build.tests.failed} failed` : "";
  return `${build.binaries.length} binar${build.binaries.length === 1 ? "y" : "ies"} with ${build.builderImage}${tests}`;
}

export function renderPipelineSummary(result: PipelineResult): string {
  const icon = { passed: "✅", failed: "❌", skipped: "⏭️" } as const;
  const rows = result.stages.map(
    (stage) =>
      `| ${stage.stage} | ${icon[stage.status]} ${stage.status} | ${stage.status === "skipped" ? "" : formatDuration(stage.durationMs)} | ${tableCell(stage.detail)} |`,
  );
  return `### goflow pipeline: ${result.status === "ok" ? "passed" : result.status === "cancelled" ? "cancelled" : "failed"}\n\n| stage | result | time | details |\n| --- | --- | --- | --- |\n${rows.join("\n")}\n\n`;
}
