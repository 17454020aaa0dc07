/** The files of a save-artifact archive. */
export const IMAGE_ARCHIVE = "image.tar";
export const IMAGE_METADATA = "image.json";

/** What the build job wrote beside the archive: what the image is and what it was built from. */
export interface ImageMetadata {
  imageId: string;
  references: string[];
  version: string;
  channel: string;
  revision: string;
}

export function formatImageMetadata(metadata: ImageMetadata): string {
  return `${JSON.stringify(metadata, null, 2)}\n`;
}

/** The metadata file's content, or undefined when it is not one (then `docker load`'s own words name the image). */
export function parseImageMetadata(text: string): ImageMetadata | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "imageId" in parsed &&
      typeof parsed.imageId === "string"
    ) {
      return parsed as ImageMetadata;
    }
  } catch {
    // Not JSON.
  }
  return undefined;
}

/** Warnings when the loaded image was built from another commit, or as another version, than this run's. */
export function describeArchiveMismatch(
  artifact: string,
  metadata: Pick<ImageMetadata, "revision" | "version">,
  expected: { revision: string; version: string },
): string[] {
  const warnings: string[] = [];
  if (metadata.revision !== expected.revision) {
    warnings.push(
      `the image in artifact ${artifact} was built from ${metadata.revision}, this run is for ${expected.revision}`,
    );
  }
  if (metadata.version !== expected.version) {
    warnings.push(
      `the image in artifact ${artifact} was built as version ${metadata.version}, this run computes ${expected.version}`,
    );
  }
  return warnings;
}
