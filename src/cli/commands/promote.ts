import { tmpdir } from "node:os";
import { ConfigurationError } from "../../errors.js";
import { flagInputs } from "../../options/input-source.js";
import { readPromoteOptions } from "../../options/promote.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import type { Reporter } from "../../runtime/reporter.js";
import { runPromoteStage } from "../../stages/promote/stage.js";
import { booleanFlag, type Command, exitCodeOf, listFlag, type ParsedArgs, stringFlag } from "../command.js";

/** Read from the environment, never a flag: a flag would end up in the shell history. */
const PASSWORD_VARIABLE = "GOFLOW_REGISTRY_PASSWORD";
const GITOPS_TOKEN_VARIABLE = "GOFLOW_GITOPS_TOKEN";

export const promoteCommand: Command = {
  name: "promote",
  summary: "point an environment's tags and GitOps files at a tested image digest",
  help: `goflow promote: the promote action on your machine

Usage: goflow promote --image <repo> (--digest <sha256:…> | --source <ref>) --environment <name> [options]

Points the environment's registry tags at the digest through the registry's API (no pull, no
rebuild) and commits the digest into its GitOps files. The image must carry goflow's tested marker
(written by the pipeline's publish step) unless --no-require-tested is given.

  --image <repo>               repository, e.g. ghcr.io/acme/go-auth (required)
  --digest <sha256:…>          the digest to promote
  --source <ref>               or a reference resolved to its digest, e.g. ghcr.io/acme/go-auth:develop
  --environment <name>         e.g. staging (required)
  --tags <list>                registry tags to move (comma-separated, repeatable; default the
                               environment's name; none: no tag)
  --username <name>            registry user; the password comes from ${PASSWORD_VARIABLE}. Without
                               them, what docker login stored for the registry
  --gitops-repository <url>    the environment repository
  --gitops-branch <name>       default its default branch
  --gitops-file <path>         a file that pins the image (repeatable)
  --gitops-key <key>           for Helm values files, e.g. image.digest
  --commit-message <template>  {environment}, {image}, {digest}, {version}, {run-url}
  --version <version>          the version being promoted, for the commit message
  --no-require-tested          promote an image without the tested marker

The GitOps token comes from ${GITOPS_TOKEN_VARIABLE}, never a flag.`,
  options: {
    image: { type: "string" },
    digest: { type: "string" },
    source: { type: "string" },
    environment: { type: "string" },
    tags: { type: "string", multiple: true },
    username: { type: "string" },
    "gitops-repository": { type: "string" },
    "gitops-branch": { type: "string" },
    "gitops-file": { type: "string", multiple: true },
    "gitops-key": { type: "string" },
    "commit-message": { type: "string" },
    version: { type: "string" },
    "no-require-tested": { type: "boolean" },
  },
  async run(args: ParsedArgs, reporter: Reporter): Promise<number> {
    if (args.positionals.length > 0) {
      throw new ConfigurationError(`goflow promote takes no folder, got ${args.positionals.join(" ")}`);
    }
    const door = flagInputs({
      image: stringFlag(args, "image"),
      digest: stringFlag(args, "digest"),
      source: stringFlag(args, "source"),
      environment: stringFlag(args, "environment"),
      tags: listFlag(args, "tags").flatMap((item) => item.split(",")),
      username: stringFlag(args, "username"),
      password: process.env[PASSWORD_VARIABLE],
      "gitops-repository": stringFlag(args, "gitops-repository"),
      "gitops-branch": stringFlag(args, "gitops-branch"),
      "gitops-files": listFlag(args, "gitops-file"),
      "gitops-key": stringFlag(args, "gitops-key"),
      "gitops-token": process.env[GITOPS_TOKEN_VARIABLE],
      "commit-message": stringFlag(args, "commit-message"),
      version: stringFlag(args, "version"),
      "require-tested": !booleanFlag(args, "no-require-tested"),
    });
    // No run URL on a laptop: GITHUB_* are only the runner's.
    const options = readPromoteOptions(door, {});
    const cancel = cancelOnSignals((signal) => reporter.warning(`${signal}: stopping the promotion`));
    try {
      const result = await runPromoteStage(options, { reporter, tempDir: tmpdir(), signal: cancel.signal });
      if (result.status !== "ok") {
        reporter.warning(result.failure ?? result.status);
        return exitCodeOf(result);
      }
      reporter.info("");
      reporter.info(`image     ${result.image}`);
      reporter.info(`previous  ${result.previousDigest ?? "none"}`);
      for (const move of result.tags) reporter.info(`tag       ${move.tag} (${move.action})`);
      if (options.gitops)
        reporter.info(`commit    ${result.commit ?? "none: the files already pin this digest"}`);
      return 0;
    } finally {
      cancel.dispose();
    }
  },
};
