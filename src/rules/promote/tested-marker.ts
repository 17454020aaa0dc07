/**
 * The registry-side proof that an image passed the pipeline's integration
 * tests: an OCI artifact whose `subject` is the image's manifest, tagged
 * `sha256-<hex>.goflow-tested` in the image's own repository. A tag (not only
 * the OCI referrers API) because registry:2 and several hosted registries
 * serve no referrers; the `sha256-<hex>` prefix follows the referrers tag
 * schema's spelling so the marker sorts beside the image's other artifacts.
 * The publish step writes it after a push whose image was tested; promote,
 * on a runner or on a laptop, reads it back by tag and checks the subject.
 */
export const TESTED_ARTIFACT_TYPE = "application/vnd.goflow.tested.v1+json";
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
/** OCI 1.1's empty descriptor: the config (and only layer) of an artifact that carries no files. */
export const EMPTY_BLOB = { mediaType: "application/vnd.oci.empty.v1+json", content: "{}" } as const;
export const EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

export interface ManifestDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface TestedEvidence {
  /** The run whose integration tests passed, when known. */
  runUrl?: string;
  /** When the tests passed (ISO 8601). */
  created: string;
  /** The spec files' counts, e.g. "12 passed". */
  summary?: string;
}

export function testedMarkerTag(digest: string): string {
  return `${digest.replace(":", "-")}.goflow-tested`;
}

/** The marker's manifest, as the bytes to PUT (the digest of these bytes is the marker's). */
export function testedMarkerManifest(subject: ManifestDescriptor, evidence: TestedEvidence): string {
  const empty = { mediaType: EMPTY_BLOB.mediaType, digest: EMPTY_DIGEST, size: EMPTY_BLOB.content.length };
  const annotations: Record<string, string> = { "org.opencontainers.image.created": evidence.created };
  if (evidence.runUrl) annotations["io.goflow.tested.run"] = evidence.runUrl;
  if (evidence.summary) annotations["io.goflow.tested.summary"] = evidence.summary;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: TESTED_ARTIFACT_TYPE,
    config: empty,
    layers: [empty],
    subject,
    annotations,
  });
}

/** Whether `manifest` (the marker tag's content) vouches for `digest`; the run URL when it says. */
export function readTestedMarker(
  manifest: string,
  digest: string,
): { tested: true; runUrl: string | undefined } | { tested: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest);
  } catch {
    return { tested: false, reason: "the marker is not JSON" };
  }
  const value = parsed as {
    artifactType?: unknown;
    subject?: { digest?: unknown };
    annotations?: Record<string, unknown>;
  };
  if (value.artifactType !== TESTED_ARTIFACT_TYPE) {
    return { tested: false, reason: `the marker's artifactType is not ${TESTED_ARTIFACT_TYPE}` };
  }
  if (value.subject?.digest !== digest) {
    return {
      tested: false,
      reason: `the marker vouches for ${String(value.subject?.digest)}, not ${digest}`,
    };
  }
  const run = value.annotations?.["io.goflow.tested.run"];
  return { tested: true, runUrl: typeof run === "string" ? run : undefined };
}
