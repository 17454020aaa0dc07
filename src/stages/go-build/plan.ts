import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../../errors.js";
import type { BuildOptions } from "../../options/go-build.js";
import { computeImageTags } from "../../rules/gitflow/index.js";
import {
  type BuildTarget,
  type GoMod,
  goVersionFromGoMod,
  hasRequirements,
  parseGoMod,
  planBuildTargets,
} from "../../rules/go/index.js";
import { isInside, relativeToWorkspace } from "../../rules/paths.js";
import type { RunContext } from "../../runtime/run-context.js";
import { gitflowInputOf } from "../gitflow-input.js";

/** What the stage will do, worked out (and validated) before any container starts. */
export interface BuildPlan {
  goMod: GoMod;
  goModText: string;
  goSumText: string;
  /** major.minor; undefined when neither go-version nor go.mod gives one (asked from the builder). */
  goVersion: string | undefined;
  builderImage: string;
  moduleDir: string;
  /** Bind-mounted at its own path: the workspace, or the module folder when it lies outside. */
  mountRoot: string;
  /** The module folder relative to the workspace (`.` for the root): Go's relative paths are joined to it. */
  baseDir: string;
  /** vendor/modules.txt exists: nothing to download. */
  vendored: boolean;
  /**
   * Every Go container's `--network`. By default `host`: the runner's own
   * network, as Go installed on the runner would see it (a proxy on localhost
   * works), without the ~0.2 s of bridge set-up per container; `none` for a
   * vendored module, which proves it needs no network.
   */
  network: string;
  /** go.mod has `require` directives: there is something to download. */
  hasRequirements: boolean;
  packages: string[];
  targets: BuildTarget[];
  /** The value stamped into versionVariable; undefined when there is none. */
  version: string | undefined;
}

const GO_VERSION_INPUT = /^[1-9]\d*\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?$/;

/**
 * Reads go.mod (and go.sum), picks the Go version and builder image, and
 * works out every binary's path. Throws a ConfigurationError for anything the
 * user has to fix; starts nothing.
 */
export function planBuild(options: BuildOptions, context: RunContext): BuildPlan {
  const moduleDir = options.workingDirectory;
  const goModFile = join(moduleDir, "go.mod");
  if (!existsSync(goModFile)) {
    throw new ConfigurationError(
      `no go.mod in ${moduleDir}; set working-directory to the folder of your module's go.mod (relative to the workspace ${context.workspace})`,
    );
  }
  const goModText = readFileSync(goModFile, "utf8");
  const goSumFile = join(moduleDir, "go.sum");
  const goSumText = existsSync(goSumFile) ? readFileSync(goSumFile, "utf8") : "";
  const goMod = parseGoMod(goModText, relativeToWorkspace(context.workspace, goModFile));

  if (options.goVersion !== undefined && !GO_VERSION_INPUT.test(options.goVersion)) {
    throw new ConfigurationError(`go-version is '${options.goVersion}'; write a Go release such as 1.24`);
  }
  const goVersion = options.goVersion ?? goVersionFromGoMod(goMod);
  if (goVersion === undefined && options.builderImage === undefined) {
    throw new ConfigurationError(
      `${relativeToWorkspace(context.workspace, goModFile)} names no Go version (no 'go' or 'toolchain' directive); add e.g. 'go 1.24' to it, or set go-version or builder-image`,
    );
  }
  const builderImage = options.builderImage ?? `golang:${goVersion}`;

  const mountRoot = isInside(context.workspace, moduleDir) ? context.workspace : moduleDir;
  const packages = options.packages.length > 0 ? options.packages : ["."];
  let version = options.version;
  if (options.versionVariable !== undefined && version === undefined)
    version = gitflowVersion(context, options);
  const targets = planBuildTargets({
    goMod,
    moduleDir,
    mountRoot,
    packages,
    output: options.output,
    platforms: options.platforms,
    ldflags: options.ldflags,
    tags: options.tags,
    versionVariable: options.versionVariable,
    version,
  });

  const vendored = existsSync(join(moduleDir, "vendor", "modules.txt"));
  return {
    goMod,
    goModText,
    goSumText,
    goVersion,
    builderImage,
    moduleDir,
    mountRoot,
    baseDir: relativeToWorkspace(context.workspace, moduleDir),
    vendored,
    network: options.network ?? (vendored ? "none" : "host"),
    hasRequirements: hasRequirements(goModText),
    packages,
    targets,
    version,
  };
}

/** The version docker-package will tag the image with (default git-flow layout). */
function gitflowVersion(context: RunContext, options: BuildOptions): string {
  return computeImageTags({ ...gitflowInputOf(context), settings: options.gitflow }).version;
}

/** Go source files `gofmt` should see: not in vendor/, testdata/, `.`/`_` folders or nested modules. */
export function listGoSourceFiles(moduleDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name === "vendor" || entry.name === "testdata") continue;
        if (entry.name.startsWith(".") || entry.name.startsWith("_")) continue;
        if (existsSync(join(dir, entry.name, "go.mod"))) continue;
        walk(join(dir, entry.name), path);
      } else if (entry.isFile() && entry.name.endsWith(".go") && !entry.name.startsWith(".")) {
        files.push(path);
      }
    }
  };
  walk(moduleDir, "");
  return files;
}
