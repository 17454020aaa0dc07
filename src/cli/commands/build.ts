import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigurationError } from "../../errors.js";
import { type BuildOptions, readGoBuildOptions } from "../../options/go-build.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";
import { MemoryState } from "../../runtime/state.js";
import { saveGoCache } from "../../stages/go-build/cache.js";
import { runBuildStage } from "../../stages/go-build/stage.js";
import { booleanFlag, type Command, exitCodeOf, listFlag, type ParsedArgs, stringFlag } from "../command.js";
import { buildLocalRunContext } from "../local-context.js";
import { readCliOptionSources } from "../option-sources.js";
import { splitList } from "./tags.js";

/** Read from the environment, never a flag. */
const TOKEN_VARIABLE = "GOFLOW_PRIVATE_MODULES_TOKEN";

/** Where the CLI keeps the Go folders between runs: the user's cache folder, as `go` itself does. */
export function userGoCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "goflow", "go");
}

export const buildCommand: Command = {
  name: "build",
  summary: "format-check, vet, test and build a Go module in the builder container (go-build)",
  help: `goflow build: the go-build action on your machine

Usage: goflow build [dir] [options]

Runs every Go command for the module in <dir> (default .) in a container of the builder image, as
your user, with the module and build caches in ${userGoCacheDir().replace(homedir(), "~")}:
dependencies, format, vet, test, build. Stops at the first failing step; exit code 1.

  --go-version <x.y>           Go release (default: go.mod's toolchain, else its go directive)
  --builder-image <image>      image to run Go in (default golang:<go-version>)
  --format check|fix|off       gofmt: fail on unformatted files, rewrite them, or skip (default check)
  --no-vet                     skip go vet
  --no-test                    skip go test
  --test-flags <flags>         extra go test flags, e.g. "-count=1 -run TestAuth"
  --rerun-failed <n>           rerun only the failed tests up to n times; passing on a rerun is flaky
  --junit-report <file>        write the test results as JUnit XML
  --packages <list>            main packages to build, comma-separated or repeated (default .)
  --output <path>              the binary (a folder for several packages); default as plain go build
  --ldflags <flags>            go build -ldflags
  --tags <list>                build tags, comma-separated (vet and test use them too)
  --cgo                        build with CGO_ENABLED=1 (default 0)
  --platforms <list>           os/arch targets, comma-separated (default the builder's own)
  --version-variable <name>    stamp this string variable (e.g. main.version) with the version
  --version <v>                the version to stamp (default: the git-flow version of the checkout)
  --no-cache                   start from empty Go caches and keep none
  --cache-dir <dir>            keep the Go caches here instead
  --network <name>             the containers' network: host (default; none for vendored modules),
                               bridge, none or a Docker network's name
  --private-modules-host <h>   the host ${TOKEN_VARIABLE} is for (default github.com)

Paths given to --output and --junit-report are relative to the current folder. GOPRIVATE, GOPROXY,
GOFLAGS, GONOSUMDB, GONOPROXY, GOSUMDB, GOINSECURE and HTTP(S)_PROXY/NO_PROXY are passed into the
container; for private modules, set GOPRIVATE and put a token in ${TOKEN_VARIABLE} (written to a
.netrc outside the module, mode 600).`,
  options: {
    "go-version": { type: "string" },
    "builder-image": { type: "string" },
    format: { type: "string" },
    "no-vet": { type: "boolean" },
    "no-test": { type: "boolean" },
    "test-flags": { type: "string" },
    "rerun-failed": { type: "string" },
    "junit-report": { type: "string" },
    packages: { type: "string", multiple: true },
    output: { type: "string" },
    ldflags: { type: "string" },
    tags: { type: "string", multiple: true },
    cgo: { type: "boolean" },
    platforms: { type: "string", multiple: true },
    "version-variable": { type: "string" },
    version: { type: "string" },
    "no-cache": { type: "boolean" },
    "cache-dir": { type: "string" },
    network: { type: "string" },
    "private-modules-host": { type: "string" },
  },
  async run(args: ParsedArgs, reporter: Reporter): Promise<number> {
    if (args.positionals.length > 1) {
      throw new ConfigurationError(`goflow build takes one folder, got ${args.positionals.join(" ")}`);
    }
    const dir = resolve(args.positionals[0] ?? ".");
    if (!existsSync(join(dir, "go.mod"))) {
      throw new ConfigurationError(
        `no go.mod in ${dir}; run goflow build in the module's folder, or pass it: goflow build <dir>`,
      );
    }
    const context = await buildLocalRunContext(dir);
    const options = readBuildFlags(args, dir, context);
    const docker = new Docker();
    const state = new MemoryState();
    const cancel = cancelOnSignals((signal) => reporter.warning(`${signal}: removing this run's containers`));
    try {
      const result = await runBuildStage(options, {
        reporter,
        docker,
        context,
        // Locally the folders on disk are the cache, and no artifacts are handed on: neither is given.
        state,
        signal: cancel.signal,
      });
      if (result.status === "ok") await saveGoCache(state, { reporter, service: async () => undefined });
      reporter.info("");
      for (const binary of result.binaries) reporter.info(`binary    ${binary}`);
      if (result.tests) {
        const { passed, failed, skipped } = result.tests;
        reporter.info(`tests     ${passed} passed, ${failed} failed, ${skipped} skipped`);
      }
      reporter.info(
        `go        ${result.goVersion} in ${result.builderImage}, caches ${result.cacheHit ? "hit" : "missed"}`,
      );
      if (result.status !== "ok") reporter.info(`failed    ${result.failure}`);
      return exitCodeOf(result);
    } catch (error) {
      if (error instanceof ConfigurationError && /run number 0/.test(error.message)) {
        throw new ConfigurationError(`${error.message} (locally: pass --version)`);
      }
      throw error;
    } finally {
      cancel.dispose();
    }
  },
};

/**
 * The flags under the action's input names, read by the stage's one reader
 * (then goflow.yml, then the action's defaults). Paths given on the command
 * line are relative to where it was run.
 */
function readBuildFlags(args: ParsedArgs, dir: string, context: RunContext): BuildOptions {
  const path = (name: string) => {
    const value = stringFlag(args, name);
    return value === undefined ? undefined : resolve(value);
  };
  return readGoBuildOptions(
    readCliOptionSources(
      dir,
      {
        "working-directory": dir,
        "go-version": stringFlag(args, "go-version"),
        "builder-image": stringFlag(args, "builder-image"),
        format: stringFlag(args, "format"),
        vet: booleanFlag(args, "no-vet") ? false : undefined,
        test: booleanFlag(args, "no-test") ? false : undefined,
        "test-flags": stringFlag(args, "test-flags"),
        "rerun-failed": stringFlag(args, "rerun-failed"),
        "junit-report": path("junit-report"),
        packages: splitList(listFlag(args, "packages")),
        output: path("output"),
        ldflags: stringFlag(args, "ldflags"),
        tags: splitList(listFlag(args, "tags")),
        cgo: booleanFlag(args, "cgo") || undefined,
        platforms: splitList(listFlag(args, "platforms")),
        "version-variable": stringFlag(args, "version-variable"),
        version: stringFlag(args, "version"),
        cache: booleanFlag(args, "no-cache") ? false : undefined,
        "cache-dir": path("cache-dir") ?? userGoCacheDir(),
        network: stringFlag(args, "network"),
        // From the environment, never a flag: a flag would end up in the shell history.
        "private-modules-token": process.env[TOKEN_VARIABLE],
        "private-modules-host": stringFlag(args, "private-modules-host"),
      },
      { workspace: process.cwd(), tempDir: context.tempDir },
    ),
  );
}
