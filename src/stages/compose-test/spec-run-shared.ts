import type { SourceLocation } from "../../errors.js";
import type { ComposeTestOptions } from "../../options/compose-test.js";
import type { ComposeConfig, DataFolder, FixedSubnet } from "../../rules/compose/index.js";
import type { Spec } from "../../rules/spec/spec.js";
import type { Docker } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";

/** A parsed spec and where it came from. */
export interface LoadedSpec {
  spec: Spec;
  /** Relative to the workspace when inside it: used in messages and annotations. */
  file: string;
}

/** What every spec file of one run shares. */
export interface SpecRunShared {
  options: ComposeTestOptions;
  docker: Docker;
  reporter: Reporter;
  context: RunContext;
  /** The value of the run label on everything the run creates. */
  runLabel: string;
  /** The compose model: isolated (ephemeral ports, run labels) when `isolate` is on, else as loaded. */
  config: ComposeConfig;
  /** Compose files for `isolate: false` (the user's, plus an images override). */
  plainFiles: readonly string[];
  /** Read-write bind-mounted project folders every isolated environment gets its own copy of. */
  dataFolders: readonly DataFolder[];
  /** The model's fixed subnets, moved to a free subnet for each isolated environment. */
  fixedSubnets: readonly FixedSubnet[];
  /** Subnets this run's environments hold (CIDR), which other environments must not pick. */
  reservedSubnets: Set<string>;
  /** Holds a folder per project (its compose file and data-folder copies); removed by the caller. */
  tempDir: string;
  logsDir: string;
  /** For `${{ env.NAME }}`. */
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  random: () => string;
  /** Called before `up`, so a post step can find the project even if this process dies. */
  projectStarting(project: string): void;
  projectGone(project: string): void;
  projectKept(project: string): void;
}

/** Where a file's problems are annotated when no line of it is to blame. */
export function fileStart(file: string): SourceLocation {
  return { file, line: 1, column: 1 };
}
