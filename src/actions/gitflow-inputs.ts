import type { GitflowSettings } from "../rules/gitflow/index.js";
import { toGitflowSettings } from "../stages/package-options.js";
import { actionInputDefaults } from "./input-defaults.js";
import { readBooleanInput, readChoiceInput, readFrom, readInput, readListInput } from "./inputs.js";

/** docker-package's git-flow inputs (develop-branch, prefixes, latest, ...) from the current input source. */
export function readGitflowSettings(): Partial<GitflowSettings> {
  return toGitflowSettings({
    developBranch: readInput("develop-branch"),
    mainBranch: readInput("main-branch"),
    featurePrefix: readInput("feature-prefix"),
    releasePrefix: readInput("release-prefix"),
    hotfixPrefix: readInput("hotfix-prefix"),
    supportPrefix: readInput("support-prefix"),
    // Kept when empty: an empty prefix means the repository tags releases 1.2.3.
    versionTagPrefix: readInput("version-tag-prefix"),
    keepVersionPrefix: readBooleanInput("keep-version-prefix", false),
    extraTags: readListInput("extra-tags"),
    latest: readChoiceInput("latest", ["auto", "true", "false"], "auto"),
  });
}

/**
 * The git-flow settings of goflow.yml's package section (docker-package's
 * defaults where it says nothing), for a step that is not docker-package:
 * go-build stamps the binary with the version the image will be tagged with.
 */
export function readProjectGitflowSettings(
  packageSection: Readonly<Record<string, string>>,
): Partial<GitflowSettings> {
  const defaults: Readonly<Record<string, string>> = actionInputDefaults["docker-package"];
  return readFrom((name) => packageSection[name] || defaults[name] || "", readGitflowSettings);
}
