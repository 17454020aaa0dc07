import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  emptyProjectConfig,
  PROJECT_CONFIG_FILE,
  type ProjectConfig,
  type ProjectConfigSchema,
  parseProjectConfig,
} from "../rules/config/project-config.js";

/**
 * The keys each goflow.yml section accepts: the stage's action inputs, less
 * those tied to one run or one secret (credentials, artifact names, the
 * working directory that locates goflow.yml itself). version-tag-prefix is
 * left out: its action default `v` cannot be told apart from a chosen one,
 * and an empty prefix is a valid choice.
 */
export const projectConfigSchema: ProjectConfigSchema = {
  build: [
    "go-version",
    "builder-image",
    "format",
    "vet",
    "test",
    "test-flags",
    "rerun-failed",
    "packages",
    "output",
    "ldflags",
    "tags",
    "cgo",
    "platforms",
    "version-variable",
    "cache",
    "network",
  ],
  package: [
    "image",
    "context",
    "dockerfile",
    "build-args",
    "target",
    "labels",
    "platforms",
    "develop-branch",
    "main-branch",
    "feature-prefix",
    "release-prefix",
    "hotfix-prefix",
    "support-prefix",
    "keep-version-prefix",
    "extra-tags",
    "latest",
    "registry",
  ],
  test: [
    "compose-file",
    "tests",
    "images",
    "env",
    "parallel",
    "isolate",
    "wait-timeout",
    "stop-timeout",
    "compose-service",
  ],
};

/** Reads `<dir>/goflow.yml` when there is one; locations in errors are relative to `base`. */
export function loadProjectConfig(dir: string, base: string = dir): ProjectConfig {
  const path = join(dir, PROJECT_CONFIG_FILE);
  if (!existsSync(path)) return emptyProjectConfig();
  return parseProjectConfig(
    readFileSync(path, "utf8"),
    relative(base, path) || PROJECT_CONFIG_FILE,
    projectConfigSchema,
  );
}
