import type { ArtifactStore } from "../../runtime/artifact.js";
import type { Docker } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";
import type { StateStore } from "../../runtime/state.js";

/** What the steps run with: the stage runtime, its artifact store opened when the options need one. */
export interface PackageRuntime {
  reporter: Reporter;
  docker: Docker;
  context: RunContext;
  artifacts: ArtifactStore;
  /** Records the registry login so the post step (or the CLI's cleanup) logs out of it. */
  state: StateStore;
  /** Cancels the long commands (build, save, load, push): the stage then fails, never succeeds. */
  signal?: AbortSignal;
}

export const MINUTE = 60_000;
