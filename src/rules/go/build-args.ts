import { ConfigurationError } from "../../errors.js";

export interface GoBuildArgsOptions {
  /** Package patterns; `.` when empty. */
  packages: readonly string[];
  /** The `-o` path. */
  output: string;
  /** The user's `-ldflags`, verbatim (e.g. `-s -w`). */
  ldflags?: string;
  tags?: readonly string[];
  /** `-trimpath` (default true): reproducible binaries without the builder's paths. */
  trimpath?: boolean;
  /** The string variable `-X` sets, e.g. `main.version`; only used together with `version`. */
  versionVariable?: string;
  version?: string;
}

const TAG = /^[A-Za-z0-9_.]+$/;
/** `import/path.name`: the last element after the last `/` holds the `.name`. */
const VARIABLE = /^(?:[^\s/'"=]+\/)*[^\s/'"=.]+(?:\.[^\s/'"=.]+)*\.[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The argument array for `go build` (after the `go` program itself). Never a
 * shell string: each value stays one argument whatever it contains.
 */
export function buildGoBuildArgs(options: GoBuildArgsOptions): string[] {
  const args = ["build"];
  if (options.trimpath ?? true) args.push("-trimpath");

  const tags = options.tags ?? [];
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new ConfigurationError(
        `build tag '${tag}' may only hold letters, digits, '_' and '.'; give one tag per entry, e.g. 'netgo'`,
      );
    }
  }
  if (tags.length > 0) args.push("-tags", tags.join(","));

  const ldflags = [options.ldflags?.trim() ?? "", versionFlag(options)].filter((flag) => flag !== "");
  if (ldflags.length > 0) args.push("-ldflags", ldflags.join(" "));

  if (options.output === "") throw new ConfigurationError("the build output path is empty; name the binary");
  args.push("-o", options.output);

  const packages = options.packages.length > 0 ? options.packages : ["."];
  for (const pkg of packages) {
    // A pattern starting with '-' would be read as a flag (e.g. -toolexec), not a package.
    if (pkg === "" || pkg.startsWith("-")) {
      throw new ConfigurationError(
        `package '${pkg}' is not a package pattern; write e.g. './cmd/server' or '.'`,
      );
    }
  }
  args.push(...packages);
  return args;
}

/** `-X main.version=1.2.3`, quoted the way cmd/go splits -ldflags when the version holds spaces. */
function versionFlag(options: GoBuildArgsOptions): string {
  const { versionVariable, version } = options;
  if (versionVariable === undefined || versionVariable === "" || version === undefined) return "";
  if (!VARIABLE.test(versionVariable)) {
    throw new ConfigurationError(
      `version variable '${versionVariable}' must be 'package.name', e.g. 'main.version' or 'example.com/app/internal/build.Version'`,
    );
  }
  const assignment = `${versionVariable}=${version}`;
  if (/^[^\s'"]*$/.test(assignment)) return `-X ${assignment}`;
  if (!assignment.includes("'")) return `-X '${assignment}'`;
  if (!assignment.includes('"')) return `-X "${assignment}"`;
  throw new ConfigurationError(`version '${version}' holds both ' and " quotes; -ldflags cannot carry it`);
}
