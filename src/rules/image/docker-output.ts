/** Reading what `docker load`, `docker push` and `docker image inspect` print. */

/** `Loaded image: x:y` or `Loaded image ID: sha256:…`; the first one. */
export function parseLoadedImage(output: string): string | undefined {
  const match = /^Loaded image(?: ID)?: (\S+)$/m.exec(output);
  return match?.[1];
}

/** `1.2.3: digest: sha256:… size: 735`, the last line of `docker push`. */
export function parsePushDigest(output: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}

/** The digest under `image` in `docker image inspect --format '{{json .RepoDigests}}'`. */
export function parseRepoDigest(json: string, image: string): string | undefined {
  try {
    const digests: unknown = JSON.parse(json.trim() || "[]");
    if (!Array.isArray(digests)) return undefined;
    for (const entry of digests) {
      if (typeof entry === "string" && entry.startsWith(`${image}@`)) return entry.slice(image.length + 1);
    }
  } catch {
    // Not JSON: no digest.
  }
  return undefined;
}

/** The line of `docker push`'s stderr saying the registry wants (other) credentials; undefined otherwise. */
export function pushRefusal(stderr: string): string | undefined {
  return stderr
    .split("\n")
    .map((line) => line.trim())
    .find((line) => /no basic auth credentials|unauthorized|authentication required|denied: /i.test(line));
}
