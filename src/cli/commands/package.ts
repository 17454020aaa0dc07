import { ConfigurationError } from "../../errors.js";
import { readDockerPackageOptions } from "../../options/docker-package.js";
import type { FlagValues } from "../../options/input-source.js";
import { createArtifactStore } from "../../runtime/artifact.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import { MemoryState, StateKey } from "../../runtime/state.js";
import { logoutRegistry, type PackageResult, runPackageStage } from "../../stages/docker-package/stage.js";
import { booleanFlag, type Command, exitCodeOf, listFlag, type ParsedArgs, stringFlag } from "../command.js";
import { buildLocalRunContext } from "../local-context.js";
import { readCliOptionSources } from "../option-sources.js";
import { gitflowFlagValues, gitflowHelp, gitflowOptions, integerFlag, splitList } from "./tags.js";

/** Read from the environment, never a flag: a flag would end up in the shell history. */
const PASSWORD_VARIABLE = "GOFLOW_REGISTRY_PASSWORD";

export const packageCommand: Command = {
  name: "package",
  summary: "build the service's image with git-flow tags and OCI labels (push only with --push)",
  help: `goflow package: the docker-package action on your machine

Usage: goflow package [dir] --image <name> [options]

Builds <dir>/Dockerfile (dir defaults to .) and tags the image by the git-flow rules, reading the
branch or tag, the commit and origin's default branch from the git checkout. Nothing is pushed
unless --push is given.

  --image <name>               repository, e.g. ghcr.io/acme/go-auth (required)
  --context <dir>              build context, relative to dir (default dir)
  --dockerfile <file>          relative to dir (default <context>/Dockerfile)
  --build-arg KEY=VALUE        repeatable
  --target <stage>             build stage to stop at
  --label key=value            repeatable; overrides the computed OCI labels per key
  --platform <os/arch>         one platform, e.g. linux/amd64
  --tags <list>                bare tags instead of the rules' tags (comma-separated, repeatable)
  --push                       push (push: true); without it nothing leaves this machine
  --registry <host>            log in to this registry before pushing (default the image's host)
  --username <name>            log in as this user; the password comes from ${PASSWORD_VARIABLE}
  --artifact-name <name>       copy go-build's binaries from the artifact store into the context
  --save-artifact <name>       save the image as a docker save archive in the artifact store
  --load-artifact <name>       load such an archive instead of building
  --ref <ref>                  pretend to build this ref (default: the checkout's branch or tag)
  --sha <sha>                  pretend to build this commit (default: HEAD)
  --default-branch <name>      default: origin's HEAD, else main
  --run-number <n>             numbers release candidates and hotfixes (default 0: pass one on those branches)

The artifact store is the folder GOFLOW_ARTIFACT_DIR (default <tmp>/goflow-artifacts), or the
workflow run's artifacts when run inside a GitHub Actions step.
SOURCE_DATE_EPOCH, when set, becomes the created label.

${gitflowHelp}`,
  options: {
    image: { type: "string" },
    context: { type: "string" },
    dockerfile: { type: "string" },
    "build-arg": { type: "string", multiple: true },
    target: { type: "string" },
    label: { type: "string", multiple: true },
    platform: { type: "string" },
    tags: { type: "string", multiple: true },
    push: { type: "boolean" },
    registry: { type: "string" },
    username: { type: "string" },
    "artifact-name": { type: "string" },
    "save-artifact": { type: "string" },
    "load-artifact": { type: "string" },
    ref: { type: "string" },
    sha: { type: "string" },
    "default-branch": { type: "string" },
    "run-number": { type: "string" },
    ...gitflowOptions,
  },
  async run(args: ParsedArgs, reporter: Reporter): Promise<number> {
    const image = stringFlag(args, "image");
    if (args.positionals.length > 1) {
      throw new ConfigurationError(`goflow package takes one folder, got ${args.positionals.join(" ")}`);
    }
    const dir = args.positionals[0] ?? ".";
    const context = await buildLocalRunContext(dir, {
      ref: stringFlag(args, "ref"),
      sha: stringFlag(args, "sha"),
      defaultBranch: stringFlag(args, "default-branch"),
      runNumber: integerFlag(args, "run-number", 0),
    });
    // The flags under the action's input names, read by the stage's one reader (then goflow.yml, then its defaults).
    const sources = readCliOptionSources(dir, readPackageFlags(args, dir), {
      workspace: process.cwd(),
      tempDir: context.tempDir,
    });
    if (!image && !sources.config.package.image)
      throw new ConfigurationError(
        "goflow package needs --image (or package.image in goflow.yml); see 'goflow package --help'",
      );
    const options = readDockerPackageOptions(sources);
    reporter.info(`${context.ref} at ${context.sha.slice(0, 12)} (${context.repository})`);

    const docker = new Docker();
    const state = new MemoryState();
    const cancel = cancelOnSignals((signal) => reporter.warning(`${signal}: stopping docker`));
    try {
      const result = await runPackageStage(options, {
        reporter,
        docker,
        context,
        artifacts: async () => createArtifactStore(process.env, context.tempDir),
        state,
        signal: cancel.signal,
      });
      if (result.packaged) printPackaged(result.packaged, reporter);
      return exitCodeOf(result);
    } catch (error) {
      if (error instanceof ConfigurationError && /^run number 0 /.test(error.message)) {
        throw new ConfigurationError(`${error.message} (locally: pass --run-number <n>)`);
      }
      throw error;
    } finally {
      const registry = state.get(StateKey.registryLogin);
      if (registry) await logoutRegistry(docker, registry, reporter);
      cancel.dispose();
    }
  },
};

function printPackaged(packaged: PackageResult, reporter: Reporter): void {
  reporter.info("");
  reporter.info(`image     ${packaged.imageId}`);
  reporter.info(`version   ${packaged.version} (${packaged.channel})`);
  for (const [i, reference] of packaged.references.entries()) {
    reporter.info(`${i === 0 ? "tags      " : "          "}${reference}`);
  }
  reporter.info(
    `push      ${packaged.pushed ? `pushed${packaged.digest ? ` ${packaged.digest}` : ""}` : "not pushed"}: ${packaged.pushReason}`,
  );
}

/** The flags under the action's input names; the password comes from the environment. */
function readPackageFlags(args: ParsedArgs, dir: string): FlagValues {
  return {
    "working-directory": dir,
    image: stringFlag(args, "image"),
    context: stringFlag(args, "context"),
    dockerfile: stringFlag(args, "dockerfile"),
    "build-args": listFlag(args, "build-arg"),
    target: stringFlag(args, "target"),
    labels: listFlag(args, "label"),
    platforms: stringFlag(args, "platform"),
    ...gitflowFlagValues(args),
    tags: splitList(listFlag(args, "tags")),
    // Nothing leaves this machine unless asked.
    push: booleanFlag(args, "push"),
    registry: stringFlag(args, "registry"),
    username: stringFlag(args, "username"),
    // From the environment, never a flag: a flag would end up in the shell history.
    password: process.env[PASSWORD_VARIABLE],
    "artifact-name": stringFlag(args, "artifact-name"),
    "save-artifact": stringFlag(args, "save-artifact"),
    "load-artifact": stringFlag(args, "load-artifact"),
    // Locally the checkout's tags decide latest; no token is read from the environment.
    "github-token": undefined,
  };
}
