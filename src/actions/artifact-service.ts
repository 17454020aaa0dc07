import type { ArtifactRetention } from "../options/artifact.js";
import type { ArtifactStore } from "../runtime/artifact.js";
import type { RunContext } from "../runtime/run-context.js";

/**
 * The step's artifact store, made only when a stage first needs it: the
 * artifact client is slow to load, and most steps hand nothing on.
 */
export function artifactServiceOf(
  context: RunContext,
  retention: ArtifactRetention = { retentionDays: undefined },
): () => Promise<ArtifactStore> {
  return async () =>
    (await import("../runtime/artifact.js")).createArtifactStore(process.env, context.tempDir, retention);
}
