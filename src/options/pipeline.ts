import { pipelineInputRenames, pipelineUnusedInputs } from "./action-inputs.js";
import { type ComposeTestOptions, readComposeTestOptions } from "./compose-test.js";
import { type PackageOptions, readDockerPackageOptions } from "./docker-package.js";
import { type BuildOptions, readGoBuildOptions } from "./go-build.js";
import { createInputReader } from "./input-reader.js";
import { type InputSource, layerInputs, recordInputs } from "./input-source.js";
import type { OptionSources } from "./option-sources.js";

/**
 * The three stages in one run (the root action and `goflow run`): build →
 * package → integration test → publish.
 */
export interface PipelineOptions {
  build: BuildOptions;
  package: PackageOptions;
  test: ComposeTestOptions;
  /** The compose service that runs the image this pipeline built. */
  composeService: string;
  /** Run the publish step when the rules say so (the CLI publishes only with --push). */
  publish: boolean;
}

const UNUSED: ReadonlySet<string> = new Set(pipelineUnusedInputs);
const BUILD_RENAMES: Readonly<Record<string, string>> = pipelineInputRenames["go-build"];

/**
 * Every stage's options, read by the stages' own readers under the root
 * action's names: the same as the stages', except go-build's `tags` and
 * `junit-report` (`build-tags`, `go-junit-report` here, since the later
 * stages use those names), and none of the inputs that hand things between jobs.
 */
export function readPipelineOptions(sources: OptionSources, publish: boolean): PipelineOptions {
  const stageDoor =
    (renames: Readonly<Record<string, string>> = {}): InputSource =>
    (name) =>
      UNUSED.has(name) ? undefined : sources.door(renames[name] ?? name);
  const door = stageDoor();
  const composeService = createInputReader(layerInputs(door, recordInputs(sources.config.test)));
  return {
    build: readGoBuildOptions(sources, stageDoor(BUILD_RENAMES)),
    package: readDockerPackageOptions(sources, door),
    test: readComposeTestOptions(sources, door),
    composeService: composeService.string("compose-service"),
    publish,
  };
}
