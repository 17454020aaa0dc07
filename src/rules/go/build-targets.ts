import { basename, dirname, join } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { isInside } from "../paths.js";
import { buildGoBuildArgs } from "./build-args.js";
import { defaultBinaryName, type GoMod } from "./go-mod.js";
import { binaryOutputName, formatPlatform, type Platform } from "./platform.js";

/** One `go build` invocation: a platform (undefined: the builder's own) and the files it must produce. */
export interface BuildTarget {
  platform: Platform | undefined;
  /** The `-o` value: a file for one package, a folder (ending in `/`) for several. */
  output: string;
  /** Absolute paths of the binaries, in package order. */
  binaries: string[];
  /** For several packages and platforms: the staging folder's binary → its final path. */
  renames: [string, string][];
  /** `go` arguments: `build -trimpath ... -o <output> <packages>`. */
  args: string[];
}

export interface BuildTargetsInput {
  goMod: GoMod;
  /** Absolute: the module's folder, where relative outputs and plain `go build` binaries go. */
  moduleDir: string;
  /** The folder mounted into the builder: every binary must lie inside it. */
  mountRoot: string;
  /** Package patterns; at least one. */
  packages: readonly string[];
  /** A file (one package) or folder (several), absolute or relative to moduleDir; undefined: Go's own. */
  output: string | undefined;
  /** Empty: the builder's own platform. */
  platforms: readonly Platform[];
  ldflags: string;
  tags: readonly string[];
  versionVariable: string | undefined;
  version: string | undefined;
}

/**
 * One target per platform, with every binary's final path and the `go build`
 * arguments; throws a ConfigurationError for what cannot be built as asked
 * (wildcards, two binaries of one name, an output outside the mount).
 */
export function planBuildTargets(input: BuildTargetsInput): BuildTarget[] {
  const { packages } = input;
  const platforms: (Platform | undefined)[] = input.platforms.length > 0 ? [...input.platforms] : [undefined];
  const multiple = platforms.length > 1;
  const names = packages.map((pattern) => packageBinaryName(pattern, input.goMod));
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw new ConfigurationError(
      `two packages would both be built as '${duplicate}'; build them in separate steps`,
    );
  }
  const output = input.output === undefined ? undefined : resolveOutput(input.moduleDir, input.output);
  const targets = platforms.map((platform): Omit<BuildTarget, "args"> => {
    const name = (base: string) => (platform ? binaryOutputName(base, platform, multiple) : base);
    if (packages.length === 1) {
      const file = output ?? join(input.moduleDir, names[0] ?? "");
      // A given `app.exe` keeps its name for Windows rather than becoming `app.exe.exe`.
      const base = platform?.os === "windows" ? basename(file).replace(/\.exe$/, "") : basename(file);
      const binary = join(dirname(file), name(base));
      return { platform, output: binary, binaries: [binary], renames: [] };
    }
    const folder = output ?? input.moduleDir;
    if (!multiple) {
      const binaries = names.map((base) => join(folder, name(base)));
      return { platform, output: `${folder}/`, binaries, renames: [] };
    }
    // Go names binaries itself in a folder; several platforms need a staging folder each, then suffixes.
    const staging = join(
      folder,
      `.goflow-build-${platform ? formatPlatform(platform).replace(/\//g, "-") : "host"}`,
    );
    const renames: [string, string][] = names.map((base) => [
      join(staging, platform?.os === "windows" ? `${base}.exe` : base),
      join(folder, name(base)),
    ]);
    return { platform, output: `${staging}/`, binaries: renames.map(([, to]) => to), renames };
  });
  for (const binary of targets.flatMap((target) => target.binaries)) {
    if (!isInside(input.mountRoot, binary)) {
      throw new ConfigurationError(
        `output ${binary} is outside ${input.mountRoot}, the folder mounted into the builder; write the binaries inside it`,
      );
    }
  }
  return targets.map((target) => ({
    ...target,
    // Built here so a bad tag or version variable is refused before any container starts.
    args: buildGoBuildArgs({
      packages: [...packages],
      output: target.output,
      ldflags: input.ldflags,
      tags: [...input.tags],
      versionVariable: input.versionVariable,
      version: input.version,
    }),
  }));
}

/**
 * The binary name `go build` gives a package pattern: `.` → the module's
 * name, `./cmd/api` → `api`, an import path → its last element (skipping a
 * major-version suffix). Wildcards cannot be named in advance.
 */
export function packageBinaryName(pattern: string, goMod: GoMod): string {
  if (pattern.includes("...")) {
    throw new ConfigurationError(
      `packages entry '${pattern}' is a wildcard; list each main package (e.g. ./cmd/api) so the binaries can be named`,
    );
  }
  const clean = pattern.replace(/\/+$/, "");
  if (clean === "." || clean === "./") return defaultBinaryName(goMod.module);
  if (clean.startsWith("./") || clean.startsWith("../")) {
    const name = basename(clean);
    if (name === "." || name === "..") return defaultBinaryName(goMod.module);
    return defaultBinaryName(`${goMod.module}/${clean.replace(/^\.\//, "")}`);
  }
  return defaultBinaryName(clean);
}

function resolveOutput(moduleDir: string, output: string): string {
  const path = output.startsWith("/") ? output : join(moduleDir, output);
  return path.replace(/\/+$/, "");
}

/**
 * The same targets built into `stagingDir` (a folder per target) instead of
 * their final paths: each target's `renames` then move every binary from the
 * staging folder to where the plan puts it. Used when the build runs beside
 * the tests, so no binary appears in the workspace unless the tests passed.
 */
export function stageBuildTargets(targets: readonly BuildTarget[], stagingDir: string): BuildTarget[] {
  return targets.map((target, index) => {
    const folder = join(stagingDir, String(index));
    const fileOutput = !target.output.endsWith("/");
    const output = fileOutput ? join(folder, basename(target.output)) : `${folder}/`;
    const renames: [string, string][] = fileOutput
      ? [[output, target.output]]
      : target.renames.length > 0
        ? target.renames.map(([from, to]) => [join(folder, basename(from)), to])
        : target.binaries.map((binary) => [join(folder, basename(binary)), binary]);
    // Packages cannot start with '-' (packageBinaryName refuses them), so the last -o is the output flag.
    const args = [...target.args];
    args[args.lastIndexOf("-o") + 1] = output;
    return { ...target, output, renames, args };
  });
}
