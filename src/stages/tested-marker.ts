import {
  EMPTY_BLOB,
  EMPTY_DIGEST,
  OCI_MANIFEST,
  type TestedEvidence,
  testedMarkerManifest,
  testedMarkerTag,
} from "../rules/promote/tested-marker.js";
import { openRegistry, type RegistryCredentials } from "../runtime/registry.js";

/**
 * Writes the registry's proof that `image@digest` passed the integration
 * tests (see rules/promote/tested-marker.ts). Shared by the stages that
 * publish a tested image (docker-package with tested-marker, the pipeline);
 * promote reads it back.
 */
export async function writeTestedMarker(
  image: string,
  digest: string,
  evidence: TestedEvidence,
  options: { credentials?: RegistryCredentials | undefined; signal?: AbortSignal | undefined } = {},
): Promise<string> {
  const registry = await openRegistry(image, options);
  const subject = await registry.getManifest(digest);
  if (!subject) throw new Error(`${image}@${digest} is not in the registry: cannot mark it tested`);
  await registry.ensureBlob(Buffer.from(EMPTY_BLOB.content), EMPTY_DIGEST);
  const body = Buffer.from(
    testedMarkerManifest({ mediaType: subject.mediaType, digest, size: subject.size }, evidence),
  );
  return registry.putManifest(testedMarkerTag(digest), body, OCI_MANIFEST);
}
