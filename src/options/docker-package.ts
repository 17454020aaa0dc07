import { isAbsolute, join, resolve } from "node:path";
import { ConfigurationError } from "../errors.js";
import {
  assertImageTag,
  type GitflowSettings,
  type PushMode,
  parsePushMode,
} from "../rules/gitflow/index.js";
import { readGitflowSettings } from "./gitflow.js";
import { createInputReader } from "./input-reader.js";
import type { InputSource } from "./input-source.js";
import { type OptionSources, stageInputs } from "./option-sources.js";

/**
 * Everything the package stage needs, typed and validated once: the action's
 * inputs and the CLI's flags both end up here.
 */
export interface PackageOptions {
  /** Repository to publish to, e.g. `ghcr.io/acme/go-auth`; checked by `normalizeImageName` in the stage. */
  image: string;
  /** Absolute paths. */
  workingDirectory: string;
  context: string;
  dockerfile: string;
  /** In the order given; `--build-arg` keeps the last of a repeated key, as docker does. */
  buildArgs: [string, string][];
  target: string | undefined;
  /** Override the computed OCI labels per key. */
  labels: Record<string, string>;
  platforms: string[];
  gitflow: Partial<GitflowSettings>;
  /** Bare tags that replace the git-flow rules' tags (extra-tags are still added). */
  explicitTags: string[];
  push: PushMode;
  /**
   * Decide (should-push) but push nothing: a later job publishes the tested
   * image with load-artifact, as the reusable pipeline does.
   */
  deferPush: boolean;
  /** Registry to log in to; when unset and a username is given, the image's registry host. */
  registry: string | undefined;
  username: string | undefined;
  password: string | undefined;
  /** go-build binaries to download into the context before building. */
  artifactName: string | undefined;
  /** Upload the built image as a `docker save` archive under this name. */
  saveArtifact: string | undefined;
  /** Download and `docker load` this archive instead of building. */
  loadArtifact: string | undefined;
  /** For listing the repository's version tags (deciding `latest`); falls back to `git tag`. */
  githubToken: string | undefined;
  apiUrl: string;
  /** SOURCE_DATE_EPOCH: the `created` label for reproducible builds; else the current time. */
  sourceDateEpoch: number | undefined;
}

/**
 * `KEY=VALUE` lines (build-args, labels). Values may hold `=` and commas, so
 * only newlines separate entries; blank lines and `#` comments are skipped.
 */
export function parseKeyValueLines(text: string, inputName: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq).trim();
    if (eq < 0 || key === "") {
      throw new ConfigurationError(
        `${inputName} line ${index + 1} '${line}' is not KEY=VALUE; write one KEY=VALUE per line`,
      );
    }
    if (/\s/.test(key)) {
      throw new ConfigurationError(`${inputName} line ${index + 1}: key '${key}' contains white space`);
    }
    pairs.push([key, line.slice(eq + 1)]);
  }
  return pairs;
}

/**
 * The `tags` input: bare tags only, because the `image` input names the
 * repository and a second spelling of it here could only disagree.
 */
export function parseExplicitTags(items: readonly string[], inputName = "tags"): string[] {
  const tags: string[] = [];
  for (const item of items) {
    const tag = item.trim();
    if (tag === "") continue;
    if (tag.includes("/") || tag.includes(":") || tag.includes("@")) {
      throw new ConfigurationError(
        `${inputName}: '${tag}' is not a bare tag; list tags such as 1.2.3 or edge, the image input names the repository`,
      );
    }
    assertImageTag(tag);
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/**
 * `working-directory` is relative to the workspace, `context` to the working
 * directory (default: itself), `dockerfile` to the working directory
 * (default: `<context>/Dockerfile`).
 */
export function resolvePackagePaths(
  workspace: string,
  given: { workingDirectory?: string; context?: string; dockerfile?: string },
): { workingDirectory: string; context: string; dockerfile: string } {
  const within = (base: string, path: string) => (isAbsolute(path) ? resolve(path) : resolve(base, path));
  const workingDirectory = within(workspace, given.workingDirectory || ".");
  const context = within(workingDirectory, given.context || ".");
  const dockerfile = given.dockerfile
    ? within(workingDirectory, given.dockerfile)
    : join(context, "Dockerfile");
  return { workingDirectory, context, dockerfile };
}

/** SOURCE_DATE_EPOCH is whole seconds since 1970; anything else is refused rather than ignored. */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (!/^\d+$/.test(text)) {
    throw new ConfigurationError(
      `SOURCE_DATE_EPOCH is '${text}'; set it to whole seconds since 1970 (e.g. $(git log -1 --format=%ct)) or unset it`,
    );
  }
  return Number(text);
}

/** docker-package's options from its inputs, and SOURCE_DATE_EPOCH / GITHUB_API_URL from the environment. */
export function readDockerPackageOptions(
  sources: OptionSources,
  door: InputSource = sources.door,
): PackageOptions {
  const source = stageInputs(sources, "docker-package", door);
  const read = createInputReader(source);
  const paths = resolvePackagePaths(sources.workspace, {
    workingDirectory: read.string("working-directory"),
    context: read.string("context"),
    dockerfile: read.string("dockerfile"),
  });
  return {
    image: read.string("image", { required: true }),
    ...paths,
    buildArgs: parseKeyValueLines(read.string("build-args"), "build-args"),
    target: read.optional("target"),
    labels: Object.fromEntries(parseKeyValueLines(read.string("labels"), "labels")),
    platforms: read.list("platforms"),
    gitflow: readGitflowSettings(source),
    explicitTags: parseExplicitTags(read.list("tags")),
    push: parsePushMode(read.string("push")),
    deferPush: read.boolean("defer-push", false),
    registry: read.optional("registry"),
    username: read.optional("username"),
    password: read.optional("password"),
    artifactName: read.optional("artifact-name"),
    saveArtifact: read.optional("save-artifact"),
    loadArtifact: read.optional("load-artifact"),
    githubToken: read.optional("github-token"),
    apiUrl: sources.env.GITHUB_API_URL || "https://api.github.com",
    sourceDateEpoch: parseSourceDateEpoch(sources.env.SOURCE_DATE_EPOCH),
  };
}
