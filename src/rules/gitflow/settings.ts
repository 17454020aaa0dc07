import { ConfigurationError } from "../../errors.js";

/** `auto`: latest goes to the highest stable release; `true`: to every stable release tag; `false`: never. */
export type LatestMode = "auto" | "true" | "false";

/** The git-flow layout of a repository; defaults are those of `git flow init`. */
export interface GitflowSettings {
  /** `develop-branch` */
  developBranch: string;
  /** `main-branch`; unset or "" means the repository's default branch. */
  mainBranch?: string;
  /** `feature-prefix` */
  featurePrefix: string;
  /** `release-prefix` */
  releasePrefix: string;
  /** `hotfix-prefix` */
  hotfixPrefix: string;
  /** `support-prefix` */
  supportPrefix: string;
  /** `version-tag-prefix`; may be "" for repositories that tag `1.2.3`. */
  versionTagPrefix: string;
  /** `keep-version-prefix`: publish `v1.2.3` rather than `1.2.3`. */
  keepVersionPrefix: boolean;
  /** `extra-tags`: sanitised and added to every build. */
  extraTags: readonly string[];
  /** `latest` */
  latest: LatestMode;
}

export const defaultGitflowSettings: Readonly<GitflowSettings> = Object.freeze({
  developBranch: "develop",
  featurePrefix: "feature/",
  releasePrefix: "release/",
  hotfixPrefix: "hotfix/",
  supportPrefix: "support/",
  versionTagPrefix: "v",
  keepVersionPrefix: false,
  extraTags: Object.freeze([]),
  latest: "auto",
});

export interface ResolvedGitflowSettings extends Omit<GitflowSettings, "mainBranch"> {
  /** Branches on the main channel (usually exactly one). */
  mainBranches: readonly string[];
}

const LATEST_MODES: readonly LatestMode[] = ["auto", "true", "false"];

/** Reads the `latest` input; "" means the default, `auto`. */
export function parseLatestMode(value: string): LatestMode {
  const mode = value.trim().toLowerCase() || "auto";
  const known = LATEST_MODES.find((candidate) => candidate === mode);
  if (known === undefined) {
    throw new ConfigurationError(`latest: '${value}' is not valid; use auto, true or false`);
  }
  return known;
}

/**
 * Fills in defaults and checks that the layout is usable: no empty branch or
 * prefix (an empty prefix would match every branch), no two kinds sharing a
 * prefix, and develop and main being different branches.
 */
export function resolveGitflowSettings(
  settings: Partial<GitflowSettings> | undefined,
  defaultBranch: string,
): ResolvedGitflowSettings {
  // `??` per field: an explicit undefined (an unset input) keeps the default.
  const given = settings ?? {};
  const defaults = defaultGitflowSettings;
  const layout: Omit<GitflowSettings, "mainBranch"> = {
    developBranch: given.developBranch ?? defaults.developBranch,
    featurePrefix: given.featurePrefix ?? defaults.featurePrefix,
    releasePrefix: given.releasePrefix ?? defaults.releasePrefix,
    hotfixPrefix: given.hotfixPrefix ?? defaults.hotfixPrefix,
    supportPrefix: given.supportPrefix ?? defaults.supportPrefix,
    versionTagPrefix: given.versionTagPrefix ?? defaults.versionTagPrefix,
    keepVersionPrefix: given.keepVersionPrefix ?? defaults.keepVersionPrefix,
    extraTags: given.extraTags ?? defaults.extraTags,
    latest: given.latest ?? defaults.latest,
  };

  requireName(layout.developBranch, "develop-branch", "develop");
  const prefixes: [string, string, string][] = [
    [layout.featurePrefix, "feature-prefix", "feature/"],
    [layout.releasePrefix, "release-prefix", "release/"],
    [layout.hotfixPrefix, "hotfix-prefix", "hotfix/"],
    [layout.supportPrefix, "support-prefix", "support/"],
  ];
  for (const [value, setting, example] of prefixes) requireName(value, setting, example);
  for (const [index, [value, setting]] of prefixes.entries()) {
    const clash = prefixes.slice(index + 1).find(([other]) => other === value);
    if (clash !== undefined) {
      throw new ConfigurationError(
        `${setting} and ${clash[1]} are both '${value}'; give each kind of branch its own prefix`,
      );
    }
  }
  if (!LATEST_MODES.includes(layout.latest)) {
    throw new ConfigurationError(`latest: '${String(layout.latest)}' is not valid; use auto, true or false`);
  }

  return {
    ...layout,
    mainBranches: resolveMainBranches(given.mainBranch, layout.developBranch, defaultBranch),
  };
}

function resolveMainBranches(
  mainBranch: string | undefined,
  developBranch: string,
  defaultBranch: string,
): readonly string[] {
  if (mainBranch !== undefined && mainBranch !== "") {
    if (mainBranch === developBranch) {
      throw new ConfigurationError(
        `main-branch and develop-branch are both '${mainBranch}'; set main-branch to the branch releases are merged into (e.g. main)`,
      );
    }
    return [mainBranch];
  }
  if (defaultBranch === "") {
    throw new ConfigurationError(
      "the repository's default branch is unknown, so the main branch is too; set main-branch (e.g. main)",
    );
  }
  // Many git-flow repositories make develop the default branch. Then the default
  // cannot also be main, and the production branch is whichever of the two
  // conventional names the repository uses, so both count.
  if (defaultBranch === developBranch) return ["main", "master"].filter((name) => name !== developBranch);
  // Otherwise only the default branch is main: a repository whose default is
  // `master` treats a stray `main` as any other branch (and does not publish it).
  return [defaultBranch];
}

function requireName(value: string, setting: string, example: string): void {
  if (value.trim() === "") {
    throw new ConfigurationError(
      `${setting} is empty; set it (git flow default: '${example}') or leave it out`,
    );
  }
}
