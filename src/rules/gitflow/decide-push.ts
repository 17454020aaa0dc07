import { ConfigurationError } from "../../errors.js";
import type { GitflowResult } from "./compute-image-tags.js";

/** The `push` input: `auto` follows the git-flow rules, `true`/`false` override them. */
export type PushMode = "auto" | "true" | "false";

export interface PushDecision {
  push: boolean;
  reason: string;
}

const PUSH_MODES: readonly PushMode[] = ["auto", "true", "false"];

/** Reads the `push` input; "" means the default, `auto`. */
export function parsePushMode(value: string): PushMode {
  const mode = value.trim().toLowerCase() || "auto";
  const known = PUSH_MODES.find((candidate) => candidate === mode);
  if (known === undefined) {
    throw new ConfigurationError(`push: '${value}' is not valid; use auto, true or false`);
  }
  return known;
}

/**
 * Applies the `push` input to a computed result. `true` is an explicit opt-in
 * (e.g. publishing a same-repository pull request for a preview environment)
 * except for forks: their runs get no registry secrets and their code must
 * never reach a registry, so asking for it is a configuration mistake.
 */
export function decidePush(mode: PushMode, result: GitflowResult): PushDecision {
  switch (mode) {
    case "auto":
      return { push: result.push, reason: result.reason };
    case "false":
      return { push: false, reason: "push: false: built and tested, not published" };
    case "true":
      if (result.fromFork) {
        throw new ConfigurationError(
          `push: true cannot publish ${result.version}, a pull request from a fork (or of unknown origin): secrets are not available to fork pull requests and code from a fork must never be published; use push: auto for pull requests`,
        );
      }
      return { push: true, reason: `push: true: published (${result.channel} build)` };
  }
}
