import type { GitflowSettings } from "../rules/gitflow/index.js";
import { toGitflowSettings } from "../stages/docker-package/options.js";
import { actionInputDefaults } from "./input-defaults.js";
import {
  type InputSource,
  readBooleanInput,
  readChoiceInput,
  readFrom,
  readInput,
  readListInput,
} from "./inputs.js";

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
 * The git-flow settings for a step that is not docker-package (go-build stamps
 * the binary with the version the image will be tagged with): the step's own
 * git-flow inputs (`primary`; the reusable workflow passes docker-package's),
 * then goflow.yml's package section, then docker-package's defaults: the same
 * layers docker-package reads, so the stamped version is the image tag.
 * version-tag-prefix is taken from `primary` as it is when `primary` is given:
 * its action.yml default is `v` there, and an empty prefix is a choice.
 */
export function readProjectGitflowSettings(
  packageSection: Readonly<Record<string, string>>,
  primary?: InputSource,
): Partial<GitflowSettings> {
  const defaults: Readonly<Record<string, string>> = actionInputDefaults["docker-package"];
  const layered: InputSource = (name) => {
    if (primary !== undefined && name === "version-tag-prefix") return primary(name);
    return primary?.(name).trim() || packageSection[name] || defaults[name] || "";
  };
  return readFrom(layered, readGitflowSettings);
}
