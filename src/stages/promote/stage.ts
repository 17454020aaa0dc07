import { ConfigurationError } from "../../errors.js";
import type { PromoteOptions } from "../../options/promote.js";
import { assertDigest, parseImageReference } from "../../rules/promote/image-reference.js";
import { planTagMoves, renderCommitMessage, type TagMove } from "../../rules/promote/tag-moves.js";
import { readTestedMarker, testedMarkerTag } from "../../rules/promote/tested-marker.js";
import {
  type Manifest,
  openRegistry,
  RegistryAuthError,
  type RegistryClient,
} from "../../runtime/registry.js";
import type { Reporter } from "../../runtime/reporter.js";
import { type StageOutcome, type StageRuntime, settleCancelled } from "../stage-contract.js";
import { type GitopsChange, prepareGitopsChange, pushGitopsChange, removeGitopsClone } from "./gitops.js";

/** The stage contract's runtime, less docker and the run context: promote talks to the registry's API and to git. */
export type PromoteRuntime = Pick<StageRuntime, "reporter" | "signal"> & { tempDir: string };

export interface PromoteResult extends StageOutcome {
  /** `repository@digest`: what now runs in the environment. */
  image: string;
  digest: string;
  /** What the environment had before: promoting it again is the rollback. */
  previousDigest: string | undefined;
  tags: readonly TagMove[];
  commit: string | undefined;
  changed: boolean;
}

/**
 * Points an environment at a tested digest: its registry tags (the manifest's
 * own bytes PUT again, so an index stays intact and nothing is pulled or
 * rebuilt) and its GitOps files (one commit, or none when they already pin
 * it). Every check that can refuse (the digest exists, it was tested, no
 * release tag moves, the files and keys exist, credentials work) runs before
 * the first change.
 */
export function runPromoteStage(options: PromoteOptions, runtime: PromoteRuntime): Promise<PromoteResult> {
  const cancelled = (): PromoteResult => ({
    status: "cancelled",
    failure: "cancelled: promote stopped; tags and files it had not reached are unchanged",
    image: options.image,
    digest: "",
    previousDigest: undefined,
    tags: [],
    commit: undefined,
    changed: false,
  });
  return settleCancelled(runtime.signal, () => promote(options, runtime), cancelled);
}

async function promote(options: PromoteOptions, runtime: PromoteRuntime): Promise<PromoteResult> {
  const { reporter } = runtime;
  const registry = await openRegistry(options.image, {
    credentials: options.credentials,
    signal: runtime.signal,
  });
  let change: GitopsChange | undefined;
  try {
    const manifest = await resolveManifest(registry, options);
    const digest = manifest.digest;
    reporter.info(`promoting ${options.image}@${digest} (${manifest.mediaType}) to ${options.environment}`);
    if (options.requireTested) await requireTested(registry, options.image, digest, reporter);
    const current = new Map(
      await Promise.all(
        options.tags.map(async (tag) => [tag, (await registry.resolve(tag))?.digest] as const),
      ),
    );
    const moves = planTagMoves(options.tags, current, digest);
    const pin = { repository: options.image, digest, ...(options.tags[0] ? { tag: options.tags[0] } : {}) };
    if (options.gitops) change = await prepareGitopsChange(options.gitops, pin, runtime);

    for (const move of moves) {
      if (move.action === "unchanged")
        reporter.info(`${options.image}:${move.tag} already points at ${digest}`);
      else {
        await registry.putManifest(move.tag, manifest.body, manifest.mediaType);
        reporter.info(
          `${options.image}:${move.tag} → ${digest}${move.previous ? ` (was ${move.previous})` : ""}`,
        );
      }
    }
    let commit: string | undefined;
    let committed = false;
    if (options.gitops && change) {
      const message = renderCommitMessage(options.commitMessage, {
        environment: options.environment,
        image: options.image,
        digest,
        version: options.version ?? "",
        "run-url": options.runUrl ?? "",
      });
      const pushed = await pushGitopsChange(change, options.gitops, pin, message, {
        reporter,
        ...(runtime.signal ? { signal: runtime.signal } : {}),
      });
      commit = pushed.commit;
      committed = pushed.changed;
      reporter.info(
        pushed.changed
          ? `committed ${commit} to ${change.branch}`
          : `${change.branch} already pins ${digest}: nothing to commit`,
      );
    }
    const previous =
      moves[0]?.previous ??
      change?.updates.map(({ update }) => update.previous).find((value) => value?.startsWith("sha256:"));
    return {
      status: "ok",
      failure: undefined,
      image: `${options.image}@${digest}`,
      digest,
      previousDigest: previous,
      tags: moves,
      commit,
      changed: committed || moves.some((move) => move.action !== "unchanged"),
    };
  } catch (error) {
    if (error instanceof RegistryAuthError) throw new ConfigurationError(error.message);
    throw error;
  } finally {
    removeGitopsClone(change);
  }
}

async function resolveManifest(registry: RegistryClient, options: PromoteOptions): Promise<Manifest> {
  let reference: string;
  if ("digest" in options.target) reference = assertDigest(options.target.digest, "digest");
  else {
    const parsed = parseImageReference(options.target.source);
    if (!parsed || (!parsed.tag && !parsed.digest)) {
      throw new ConfigurationError(
        `source '${options.target.source}' is not an image reference with a tag or digest; use image:tag or image@sha256:…`,
      );
    }
    if (parsed.repository !== options.image) {
      throw new ConfigurationError(
        `source '${options.target.source}' is not in ${options.image}; promotion copies tags inside one repository`,
      );
    }
    reference = parsed.digest ?? parsed.tag ?? "";
  }
  const manifest = await registry.getManifest(reference);
  if (!manifest) {
    throw new ConfigurationError(
      `${options.image}@${reference} is not in the registry; promote the digest docker-package published (its digest output), or check image`,
    );
  }
  return manifest;
}

async function requireTested(
  registry: RegistryClient,
  image: string,
  digest: string,
  reporter: Reporter,
): Promise<void> {
  const marker = await registry.getManifest(testedMarkerTag(digest));
  const verdict = marker
    ? readTestedMarker(marker.body.toString("utf8"), digest)
    : { tested: false as const, reason: `${image} has no tag ${testedMarkerTag(digest)}` };
  if (!verdict.tested) {
    throw new ConfigurationError(
      `${image}@${digest} has not passed goflow's integration tests (${verdict.reason}); promote the digest the pipeline's publish step pushed, or set require-tested: false`,
    );
  }
  reporter.info(`tested: ${image}@${digest}${verdict.runUrl ? ` passed in ${verdict.runUrl}` : ""}`);
}
