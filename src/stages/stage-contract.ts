import type { ArtifactStore } from "../runtime/artifact.js";
import type { CacheStore } from "../runtime/cache.js";
import type { Docker } from "../runtime/docker.js";
import type { Reporter } from "../runtime/reporter.js";
import type { RunContext } from "../runtime/run-context.js";
import type { StateStore } from "../runtime/state.js";

/**
 * The one contract every stage follows: `run…Stage(options, runtime)`, the
 * options typed and validated by src/options, the runtime this one bag
 * (each front door fills it once), the result a StageOutcome. What the user
 * must fix is a thrown ConfigurationError, before any container starts.
 */
export type StageStatus = "ok" | "failure" | "cancelled";

export interface StageOutcome {
  /** ok: the work ran and succeeded; failure: it ran and failed (a Go step, a test); cancelled: the signal stopped it. */
  status: StageStatus;
  /** Why, one line, when the status is not ok. */
  failure: string | undefined;
}

export interface StageRuntime {
  reporter: Reporter;
  docker: Docker;
  context: RunContext;
  /** What main hands to the post step (or the CLI to its cleanup): logins, caches, environments. */
  state: StateStore;
  /** Aborted on cancel: nothing new starts, and the stage ends cancelled, never ok. */
  signal?: AbortSignal | undefined;
  /** Made only when a stage needs artifacts (the client is slow to load); absent where none are handed on. */
  artifacts?: (() => Promise<ArtifactStore>) | undefined;
  /** The cache service; absent where there is none (the folders on disk are all there is). */
  cache?: CacheStore | undefined;
  /** Told a run id before its first container starts, so a cancelled run can remove them by label. */
  onRunId?: ((runId: string) => void) | undefined;
}

/** The artifact store, or a failure saying this run hands no artifacts on. */
export function openArtifactStore(runtime: Pick<StageRuntime, "artifacts">): Promise<ArtifactStore> {
  if (runtime.artifacts) return runtime.artifacts();
  return Promise.reject(new Error("this run hands no artifacts between jobs; unset the artifact inputs"));
}

/**
 * Runs a stage's work under its signal. Once the signal aborted, what the
 * work throws is the aborted commands' error, not the story, and a failure
 * it returns is the cancellation's doing: both end `cancelled()`.
 */
export async function settleCancelled<T extends StageOutcome>(
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
  cancelled: () => T,
): Promise<T> {
  try {
    const outcome = await work();
    return outcome.status === "failure" && signal?.aborted ? cancelled() : outcome;
  } catch (error) {
    if (signal?.aborted) return cancelled();
    throw error;
  }
}
