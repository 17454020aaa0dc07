import { ConfigurationError } from "../../errors.js";
import type { PackageOptions } from "../../options/docker-package.js";
import type { PipelineOptions } from "../../options/pipeline.js";
import { formatDuration } from "../../rules/format.js";
import { computeImageTags } from "../../rules/gitflow/index.js";
import { tableCell } from "../../rules/report/index.js";
import type { ArtifactStore } from "../../runtime/artifact.js";
import type { CacheStore } from "../../runtime/cache.js";
import type { Docker } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";
import type { StateStore } from "../../runtime/state.js";
import {
  type ComposeTestResult,
  describeUnsuccessfulRun,
  runComposeTestStage,
} from "../compose-test/stage.js";
import { type PackageResult, publishPackagedImage, runPackageStage } from "../docker-package/stage.js";
import { gitflowInputOf } from "../gitflow-input.js";
import { type BuildResult, runBuildStage } from "../go-build/stage.js";

/**
 * The three stages in one run, as the Jenkins pipelines it replaces had them:
 * build → package → integration test → publish. The image is tagged by the
 * git-flow rules but pushed only after every test passed, and it is the image
 * that was tested, never a rebuilt one. Used by the root action and `goflow run`.
 */
export interface PipelineRuntime {
  reporter: Reporter;
  docker: Docker;
  context: RunContext;
  state: StateStore;
  cache: CacheStore | undefined;
  artifacts: () => Promise<ArtifactStore>;
  signal?: AbortSignal;
  onRunId?: (runId: string) => void;
}

export type StageName = "build" | "package" | "test" | "publish";

export interface StageReport {
  stage: StageName;
  status: "passed" | "failed" | "skipped";
  durationMs: number;
  detail: string;
}

export interface PipelineResult {
  succeeded: boolean;
  failure: string | undefined;
  stages: StageReport[];
  build: BuildResult | undefined;
  package: PackageResult | undefined;
  test: ComposeTestResult | undefined;
}

export async function runPipeline(
  options: PipelineOptions,
  runtime: PipelineRuntime,
): Promise<PipelineResult> {
  if (!options.composeService)
    throw new ConfigurationError(
      "compose-service is empty: name the compose service that runs the image this pipeline builds (for example goauth), so the tests run that image",
    );
  const { reporter } = runtime;
  const result: PipelineResult = {
    succeeded: false,
    failure: undefined,
    stages: [],
    build: undefined,
    package: undefined,
    test: undefined,
  };
  const timed = async <T>(
    stage: StageName,
    run: () => Promise<T>,
    describe: (value: T) => [boolean, string],
  ) => {
    const started = Date.now();
    const value = await reporter.group(`stage ${stage}`, run);
    const [passed, detail] = describe(value);
    result.stages.push({
      stage,
      status: passed ? "passed" : "failed",
      durationMs: Date.now() - started,
      detail,
    });
    if (!passed) result.failure ??= `${stage}: ${detail}`;
    return { value, passed };
  };
  const skip = (...stages: StageName[]) => {
    for (const stage of stages) result.stages.push({ stage, status: "skipped", durationMs: 0, detail: "" });
  };

  // The binary is stamped with the version the image will be tagged with, under the package's git-flow settings.
  const version =
    options.build.version ??
    computeImageTags({ ...gitflowInputOf(runtime.context), settings: options.package.gitflow }).version;
  const build = await timed(
    "build",
    () => runBuildStage({ ...options.build, version, artifactName: undefined }, runtime),
    (value) => [value.success, value.success ? describeBuild(value) : (value.failure ?? "failed")],
  );
  result.build = build.value;
  if (!build.passed) {
    skip("package", "test", "publish");
    return finish(result, reporter);
  }

  const packaged = await timed(
    "package",
    // The binary is already in the context; publishing waits until the tests passed.
    async () =>
      runPackageStage(
        { ...options.package, artifactName: undefined, deferPush: true },
        { ...runtime, artifacts: await packageArtifacts(options.package, runtime) },
      ),
    (value) => [
      true,
      `${value.references[0] ?? value.image} (version ${value.version}, channel ${value.channel})`,
    ],
  );
  result.package = packaged.value;

  const tested = await timed(
    "test",
    () =>
      runComposeTestStage(
        {
          ...options.test,
          images: { ...options.test.images, [options.composeService]: packaged.value.references[0] ?? "" },
        },
        runtime,
      ),
    (value) => [
      value.succeeded,
      describeUnsuccessfulRun(value) ?? `${value.counts.passed} of ${value.counts.total} passed`,
    ],
  );
  result.test = tested.value;
  if (!tested.passed) {
    skip("publish");
    return finish(result, reporter);
  }

  if (!packaged.value.shouldPush || !options.publish) {
    const why = !packaged.value.shouldPush ? packaged.value.pushReason : "not asked to publish (--push)";
    result.stages.push({ stage: "publish", status: "skipped", durationMs: 0, detail: why });
  } else {
    const published = await timed(
      "publish",
      () => publishPackagedImage(packaged.value, options.package, runtime),
      (value) => [true, value.digest ? `${value.image}@${value.digest}` : value.references.join(", ")],
    );
    result.package = published.value;
  }
  result.succeeded = true;
  return finish(result, reporter);
}

/** The artifact client is slow to load and absent locally: only made when the package options name an artifact. */
async function packageArtifacts(options: PackageOptions, runtime: PipelineRuntime): Promise<ArtifactStore> {
  if (options.saveArtifact || options.loadArtifact) return runtime.artifacts();
  const unused = () => Promise.reject(new Error("the pipeline hands no artifacts to the package stage"));
  return { kind: "local", upload: unused, download: unused };
}

function describeBuild(build: BuildResult): string {
  const tests = build.tests ? `, tests ${build.tests.passed} passed ${build.tests.failed} failed` : "";
  return `${build.binaries.length} binar${build.binaries.length === 1 ? "y" : "ies"} with ${build.builderImage}${tests}`;
}

async function finish(result: PipelineResult, reporter: Reporter): Promise<PipelineResult> {
  await reporter.appendSummary(renderPipelineSummary(result));
  return result;
}

export function renderPipelineSummary(result: PipelineResult): string {
  const icon = { passed: "✅", failed: "❌", skipped: "⏭️" } as const;
  const rows = result.stages.map(
    (stage) =>
      `| ${stage.stage} | ${icon[stage.status]} ${stage.status} | ${stage.status === "skipped" ? "" : formatDuration(stage.durationMs)} | ${tableCell(stage.detail)} |`,
  );
  return `### goflow pipeline: ${result.succeeded ? "passed" : "failed"}\n\n| stage | result | time | details |\n| --- | --- | --- | --- |\n${rows.join("\n")}\n\n`;
}
