import { isAbsolute, join, resolve } from "node:path";
import { ConfigurationError } from "../errors.js";
import type { GitflowSettings } from "../rules/gitflow/index.js";
import { type Platform, parsePlatform } from "../rules/go/platform.js";
import { splitShellWords } from "../rules/spec/shell-words.js";
import { readGitflowSettings } from "./gitflow.js";
import { createInputReader } from "./input-reader.js";
import { defaultInputs, type InputSource, layerInputs, recordInputs } from "./input-source.js";
import { type OptionSources, stageInputs } from "./option-sources.js";

export const FORMAT_MODES = ["check", "fix", "off"] as const;
export type FormatMode = (typeof FORMAT_MODES)[number];

/**
 * Everything the build stage needs, typed and validated once: the action's
 * inputs and the CLI's flags both end up here. Paths are absolute.
 */
export interface BuildOptions {
  /** The module's folder (holding go.mod). */
  workingDirectory: string;
  /** major.minor; undefined: go.mod's `toolchain`, else its `go` directive. */
  goVersion: string | undefined;
  /** undefined: `golang:<go version>`. */
  builderImage: string | undefined;
  format: FormatMode;
  vet: boolean;
  test: boolean;
  /** Extra `go test` flags, already split into words. */
  testFlags: string[];
  /** After a failing `go test`, rerun only the failed tests up to this many times (0: never). */
  rerunFailed: number;
  /** Package patterns to build; `.` when empty. */
  packages: string[];
  /** The binary (one package) or folder (several); undefined: what plain `go build` writes. */
  output: string | undefined;
  ldflags: string;
  tags: string[];
  cgo: boolean;
  /** Empty: the builder's own platform. */
  platforms: Platform[];
  versionVariable: string | undefined;
  /** undefined: the version the git-flow rules give this run (the image tag docker-package computes). */
  version: string | undefined;
  /** The package stage's git-flow settings (goflow.yml's package section), which that version follows. */
  gitflow: Partial<GitflowSettings>;
  /** Where to write the JUnit XML of the tests; undefined: none. */
  junitReport: string | undefined;
  cache: boolean;
  /** Holds `home`, `build` (GOCACHE) and `mod` (GOMODCACHE). */
  cacheDir: string;
  /** Upload the binaries under this artifact name. */
  artifactName: string | undefined;
  /** Written to a .netrc for `privateModulesHost`. */
  privateModulesToken: string | undefined;
  privateModulesHost: string;
  /** PASSED_VARIABLES that are set in the caller's environment. */
  passedEnv: Record<string, string>;
  /** The Go containers' `--network`; undefined: `host`, or `none` for a vendored module. */
  network: string | undefined;
}

/**
 * Passed through from the runner's environment into the builder container:
 * how Go fetches modules, and the proxies it fetches them through.
 */
export const PASSED_VARIABLES = [
  "GOPRIVATE",
  "GOPROXY",
  "GOFLAGS",
  "GONOSUMDB",
  "GONOPROXY",
  "GOSUMDB",
  "GOINSECURE",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
] as const;

export function pickPassedVariables(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of PASSED_VARIABLES) {
    const value = env[name];
    if (value) passed[name] = value;
  }
  return passed;
}

export function parsePlatforms(entries: readonly string[]): Platform[] {
  return entries.map((entry) => parsePlatform(entry));
}

/** Docker's own network modes; any other value names a user-defined network. */
export const BUILTIN_NETWORKS = ["host", "bridge", "none"] as const;

/** What `docker network create` accepts as a name. */
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function parseNetwork(value: string | undefined, name = "network"): string | undefined {
  const text = (value ?? "").trim();
  if (text === "") return undefined;
  if (!NETWORK_NAME.test(text)) {
    throw new ConfigurationError(
      `${name} is '${value}'; use host, bridge, none or the name of an existing Docker network (letters, digits, '_', '.' and '-')`,
    );
  }
  return text;
}

/** `test-flags` is split like a shell would, without one: quotes group, nothing expands. */
export function parseTestFlags(text: string, name = "test-flags"): string[] {
  try {
    return splitShellWords(text);
  } catch (error) {
    throw new ConfigurationError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Build tags, comma- or space-separated as `go build -tags` accepts them. */
export function parseBuildTags(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(/[\s,]+/)).filter((tag) => tag !== "");
}

/** A path given relative to `base`, or absolute. */
export function resolveFrom(base: string, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(base, path);
}

/**
 * go-build's options from its inputs (the door, goflow.yml's build section,
 * the action.yml defaults), its git-flow settings from the same door over
 * goflow.yml's package section, and GOPRIVATE, GOPROXY, … from the
 * environment. Paths: working-directory, junit-report and cache-dir relative
 * to the workspace; output relative to working-directory, like `go build -o`
 * run there.
 */
export function readGoBuildOptions(sources: OptionSources, door: InputSource = sources.door): BuildOptions {
  const read = createInputReader(stageInputs(sources, "go-build", door));
  const { workspace } = sources;
  const workingDirectory = resolveFrom(workspace, read.string("working-directory") || ".");
  const junitReport = read.optional("junit-report");
  const cacheDir = read.optional("cache-dir");
  const output = read.optional("output");
  return {
    workingDirectory,
    goVersion: read.optional("go-version"),
    builderImage: read.optional("builder-image"),
    format: read.choice("format", FORMAT_MODES, "check"),
    vet: read.boolean("vet", true),
    test: read.boolean("test", true),
    testFlags: parseTestFlags(read.string("test-flags")),
    rerunFailed: read.integer("rerun-failed", 0),
    packages: read.list("packages"),
    output: output === undefined ? undefined : resolveFrom(workingDirectory, output),
    ldflags: read.string("ldflags"),
    tags: parseBuildTags(read.list("tags")),
    cgo: read.boolean("cgo", false),
    platforms: parsePlatforms(read.list("platforms")),
    versionVariable: read.optional("version-variable"),
    version: read.optional("version"),
    gitflow: readGitflowSettings(
      layerInputs(door, recordInputs(sources.config.package), defaultInputs("docker-package")),
    ),
    junitReport: junitReport === undefined ? undefined : resolveFrom(workspace, junitReport),
    cache: read.boolean("cache", true),
    cacheDir: cacheDir === undefined ? join(sources.tempDir, "goflow-go") : resolveFrom(workspace, cacheDir),
    artifactName: read.optional("artifact-name"),
    privateModulesToken: read.optional("private-modules-token"),
    privateModulesHost: read.string("private-modules-host") || "github.com",
    passedEnv: pickPassedVariables(sources.env),
    network: parseNetwork(read.string("network")),
  };
}
