import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { formatBytes } from "../../rules/format.js";
import type { GitflowResult } from "../../rules/gitflow/index.js";
import {
  describeArchiveMismatch,
  formatImageMetadata,
  IMAGE_ARCHIVE,
  IMAGE_METADATA,
  type ImageMetadata,
  parseImageMetadata,
  parseLoadedImage,
} from "../../rules/image/index.js";
import { dockerLoadArgs, dockerSaveArgs, dockerTagArgs, imageIdArgs } from "../../runtime/docker.js";
import type { RunContext } from "../../runtime/run-context.js";
import { MINUTE, type PackageRuntime } from "./package-runtime.js";

/** The commit an image of this run is built from: a pull request's head, not its merge commit. */
function runRevision(context: RunContext): string {
  return context.pullRequest?.headSha || context.sha;
}

/** `docker save` of the image, uploaded with its metadata as an artifact for a later job to load. */
export async function saveImage(
  name: string,
  image: { imageId: string; references: string[]; gitflow: GitflowResult },
  runtime: PackageRuntime,
): Promise<void> {
  const scratch = mkdtempSync(join(runtime.context.tempDir, "goflow-save-"));
  try {
    await runtime.reporter.group(`save image as artifact ${name}`, async () => {
      const archive = join(scratch, IMAGE_ARCHIVE);
      await runtime.docker.checked(dockerSaveArgs(archive, image.references), {
        timeoutMs: 30 * MINUTE,
        signal: runtime.signal,
      });
      const metadata: ImageMetadata = {
        imageId: image.imageId,
        references: image.references,
        version: image.gitflow.version,
        channel: image.gitflow.channel,
        revision: runRevision(runtime.context),
      };
      const metadataFile = join(scratch, IMAGE_METADATA);
      await writeFile(metadataFile, formatImageMetadata(metadata));
      const id = await runtime.artifacts.upload(name, [archive, metadataFile], scratch);
      runtime.reporter.info(
        `uploaded ${IMAGE_ARCHIVE} (${formatBytes(statSync(archive).size)}) as artifact ${name} (${id})`,
      );
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Downloads and `docker load`s an archive saved by save-artifact, and tags it with this run's references. */
export async function loadImage(
  name: string,
  references: string[],
  runtime: PackageRuntime,
  gitflow: GitflowResult,
): Promise<string> {
  const { docker, reporter, context } = runtime;
  const scratch = mkdtempSync(join(context.tempDir, "goflow-load-"));
  try {
    return await reporter.group(`load image from artifact ${name}`, async () => {
      const files = await runtime.artifacts.download(name, scratch);
      const archive = files.find((file) => basename(file) === IMAGE_ARCHIVE);
      if (!archive) {
        throw new ConfigurationError(
          `artifact '${name}' holds no ${IMAGE_ARCHIVE}; load-artifact takes an artifact written by save-artifact`,
        );
      }
      const metadataFile = files.find((file) => basename(file) === IMAGE_METADATA);
      const metadata = metadataFile ? parseImageMetadata(readFileSync(metadataFile, "utf8")) : undefined;
      const loaded = await docker.checked(dockerLoadArgs(archive), {
        timeoutMs: 30 * MINUTE,
        signal: runtime.signal,
      });
      reporter.info(loaded.stdout.trim());
      const loadedImage = metadata?.imageId ?? parseLoadedImage(loaded.stdout);
      if (!loadedImage) throw new Error(`docker load named no image:\n${loaded.stdout}`);
      const imageId = (await docker.checked(imageIdArgs(loadedImage), { timeoutMs: MINUTE })).stdout.trim();
      if (metadata) {
        const expected = { revision: runRevision(context), version: gitflow.version };
        for (const warning of describeArchiveMismatch(name, metadata, expected)) reporter.warning(warning);
      }
      for (const reference of references) {
        await docker.checked(dockerTagArgs(imageId, reference), { timeoutMs: MINUTE });
      }
      reporter.info(`loaded ${imageId}`);
      return imageId;
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
