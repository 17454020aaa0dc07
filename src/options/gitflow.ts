import { type GitflowSettings, type LatestMode, parseLatestMode } from "../rules/gitflow/index.js";
import { createInputReader } from "./input-reader.js";
import type { InputSource } from "./input-source.js";

/** The git-flow settings exactly as the inputs/flags give them ("" = unset = default). */
export interface RawGitflowSettings {
  developBranch?: string;
  mainBranch?: string;
  featurePrefix?: string;
  releasePrefix?: string;
  hotfixPrefix?: string;
  supportPrefix?: string;
  versionTagPrefix?: string;
  keepVersionPrefix?: boolean;
  extraTags?: string[];
  latest?: string;
}

/**
 * Unset or empty values stay undefined so the rules' defaults apply, except
 * version-tag-prefix: an empty prefix is meaningful (repositories tagging
 * `1.2.3`), so only undefined means "default" there.
 */
export function toGitflowSettings(raw: RawGitflowSettings): Partial<GitflowSettings> {
  const settings: Partial<GitflowSettings> = {};
  if (raw.developBranch) settings.developBranch = raw.developBranch;
  if (raw.mainBranch) settings.mainBranch = raw.mainBranch;
  if (raw.featurePrefix) settings.featurePrefix = raw.featurePrefix;
  if (raw.releasePrefix) settings.releasePrefix = raw.releasePrefix;
  if (raw.hotfixPrefix) settings.hotfixPrefix = raw.hotfixPrefix;
  if (raw.supportPrefix) settings.supportPrefix = raw.supportPrefix;
  if (raw.versionTagPrefix !== undefined) settings.versionTagPrefix = raw.versionTagPrefix;
  if (raw.keepVersionPrefix !== undefined) settings.keepVersionPrefix = raw.keepVersionPrefix;
  if (raw.extraTags && raw.extraTags.length > 0) settings.extraTags = raw.extraTags;
  if (raw.latest) settings.latest = parseLatestMode(raw.latest) satisfies LatestMode;
  return settings;
}

/**
 * docker-package's git-flow inputs (develop-branch, prefixes, latest, …).
 * go-build reads the same ones over the same layers (its door, goflow.yml's
 * package section, docker-package's defaults), so the version it stamps is
 * the image's tag.
 */
export function readGitflowSettings(source: InputSource): Partial<GitflowSettings> {
  const read = createInputReader(source);
  return toGitflowSettings({
    developBranch: read.string("develop-branch"),
    mainBranch: read.string("main-branch"),
    featurePrefix: read.string("feature-prefix"),
    releasePrefix: read.string("release-prefix"),
    hotfixPrefix: read.string("hotfix-prefix"),
    supportPrefix: read.string("support-prefix"),
    // Undefined only when no layer sets it: an empty prefix is a choice.
    versionTagPrefix: source("version-tag-prefix")?.trim(),
    keepVersionPrefix: read.boolean("keep-version-prefix", false),
    extraTags: read.list("extra-tags"),
    latest: read.choice("latest", ["auto", "true", "false"], "auto"),
  });
}
