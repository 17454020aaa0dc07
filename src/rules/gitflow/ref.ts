import { ConfigurationError } from "../../errors.js";

export type ParsedRef =
  | { kind: "branch"; name: string }
  | { kind: "tag"; name: string }
  | { kind: "pull"; number: number };

/**
 * Reads GITHUB_REF. A name without `refs/` is taken as a branch, so callers
 * outside Actions (the CLI) can pass `develop`; other `refs/` namespaces are
 * refused because no rule can say what they should publish.
 */
export function parseRef(ref: string): ParsedRef {
  if (ref.trim() === "") {
    throw new ConfigurationError("ref is empty; pass the git ref being built (e.g. refs/heads/develop)");
  }
  const branch = stripNamespace(ref, "refs/heads/");
  if (branch !== undefined) return { kind: "branch", name: branch };
  const tag = stripNamespace(ref, "refs/tags/");
  if (tag !== undefined) return { kind: "tag", name: tag };
  const pull = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(ref);
  if (pull?.[1] !== undefined) return { kind: "pull", number: Number(pull[1]) };
  if (ref.startsWith("refs/")) {
    throw new ConfigurationError(
      `ref '${ref}' is not supported; expected refs/heads/<branch>, refs/tags/<tag> or refs/pull/<number>/merge`,
    );
  }
  return { kind: "branch", name: ref };
}

function stripNamespace(ref: string, namespace: string): string | undefined {
  if (!ref.startsWith(namespace)) return undefined;
  const name = ref.slice(namespace.length);
  if (name === "") {
    throw new ConfigurationError(`ref '${ref}' has no name after '${namespace}'; pass the full ref`);
  }
  return name;
}
