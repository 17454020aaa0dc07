import { ConfigurationError } from "../../errors.js";
import { parsePushDigest, parseRepoDigest, pushRefusal, registryHost } from "../../rules/image/index.js";
import { type Docker, dockerPushArgs, repoDigestsArgs } from "../../runtime/docker.js";
import { ProcessError } from "../../runtime/process.js";
import type { Reporter } from "../../runtime/reporter.js";
import { streamLines } from "./live-output.js";
import { MINUTE } from "./package-runtime.js";

/** `docker push` of every reference, output live; returns the pushed digest when docker says it. */
export async function pushImage(
  image: string,
  references: string[],
  docker: Docker,
  reporter: Reporter,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  let digest: string | undefined;
  for (const reference of references) {
    const result = await reporter.group(`docker push ${reference}`, async () => {
      const live = streamLines(reporter);
      try {
        return await docker.checked(dockerPushArgs(reference), {
          timeoutMs: 30 * MINUTE,
          signal,
          ...live.options,
        });
      } catch (error) {
        const refusal = error instanceof ProcessError ? pushRefusal(error.result.stderr) : undefined;
        if (!refusal) throw error;
        throw new ConfigurationError(
          `${registryHost(image)} refused the push of ${reference} (${refusal}); give docker-package a username and password that may push there (for ghcr.io: the actor and GITHUB_TOKEN with packages: write)`,
        );
      } finally {
        live.flush();
      }
    });
    digest ??= parsePushDigest(result.stdout);
  }
  if (digest === undefined) {
    // Older engines print no digest line; the local image then knows it.
    const inspected = await docker.run(repoDigestsArgs(references[0] ?? image), { timeoutMs: MINUTE });
    digest = parseRepoDigest(inspected.stdout, image);
  }
  if (digest) reporter.info(`pushed ${image}@${digest}`);
  return digest;
}
