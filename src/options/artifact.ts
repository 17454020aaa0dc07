import { createInputReader } from "./input-reader.js";
import type { InputSource } from "./input-source.js";

/** How long a step's uploads are kept. */
export interface ArtifactRetention {
  /** undefined: the repository's setting. */
  retentionDays: number | undefined;
}

/** `retention-days`: the step's own input (goflow.yml does not take it, it has no default). */
export function readArtifactRetention(door: InputSource): ArtifactRetention {
  const read = createInputReader(door);
  return { retentionDays: read.string("retention-days") ? read.integer("retention-days", 0, 1) : undefined };
}
