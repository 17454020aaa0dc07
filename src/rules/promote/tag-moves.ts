import { ConfigurationError } from "../../errors.js";
import { parseVersionTag } from "../gitflow/version-tag.js";

/** What promoting does to one registry tag. */
export interface TagMove {
  tag: string;
  /** The digest the tag pointed at before; undefined for a new tag. */
  previous: string | undefined;
  action: "create" | "move" | "unchanged";
}

/**
 * A full release version (`1.2.3`, `v1.2.3`, `1.2.3-rc.1`) names one build
 * for good; floating tags (`1`, `1.2`, `latest`, `staging`) are meant to move.
 */
export function isReleaseVersionTag(tag: string): boolean {
  return parseVersionTag(tag, "v")?.parts.length === 3;
}

/**
 * Plans the tag moves of a promotion, and refuses the whole promotion, before
 * any tag changes, when it would move a release-version tag to another digest.
 */
export function planTagMoves(
  tags: readonly string[],
  current: ReadonlyMap<string, string | undefined>,
  digest: string,
): TagMove[] {
  const moves = tags.map((tag): TagMove => {
    const previous = current.get(tag);
    if (previous === undefined) return { tag, previous, action: "create" };
    return { tag, previous, action: previous === digest ? "unchanged" : "move" };
  });
  const moved = moves.find((move) => move.action === "move" && isReleaseVersionTag(move.tag));
  if (moved) {
    throw new ConfigurationError(
      `tag '${moved.tag}' already points at ${moved.previous}; release-version tags are immutable, so goflow will not move it to ${digest}. Cut a new version, or promote under another tag (tags input)`,
    );
  }
  return moves;
}

export interface CommitMessageValues {
  environment: string;
  image: string;
  digest: string;
  version: string;
  "run-url": string;
}

export const DEFAULT_COMMIT_MESSAGE =
  "goflow: promote {image} {version} to {environment}\n\n{image}@{digest}\nRun: {run-url}";

/** `{environment}`, `{image}`, `{digest}`, `{version}` and `{run-url}` filled in; any other `{name}` is an error. */
export function renderCommitMessage(template: string, values: CommitMessageValues): string {
  const text = template.trim() === "" ? DEFAULT_COMMIT_MESSAGE : template;
  const rendered = text.replace(/\{([a-z-]+)\}/g, (whole, name: string) => {
    if (!Object.hasOwn(values, name)) {
      throw new ConfigurationError(
        `commit-message: unknown placeholder ${whole}; use {environment}, {image}, {digest}, {version} or {run-url}`,
      );
    }
    return values[name as keyof CommitMessageValues];
  });
  // Blank placeholders (no version, no run URL) leave no dangling labels behind.
  return rendered
    .split("\n")
    .filter((line) => !/^[A-Za-z ]+:\s*$/.test(line))
    .join("\n")
    .replace(/ {2,}/g, " ")
    .trim();
}
