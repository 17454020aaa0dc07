import { ConfigurationError } from "../errors.js";
import { normalizeImageName } from "../rules/gitflow/image-name.js";
import { assertImageTag } from "../rules/gitflow/image-tag.js";
import { assertDigest } from "../rules/promote/image-reference.js";
import type { RegistryCredentials } from "../rules/registry/registry-api.js";
import { createInputReader } from "./input-reader.js";
import type { InputSource } from "./input-source.js";

/** The environment's manifests in git: where they are, which files pin the image, and how to authenticate. */
export interface GitopsTarget {
  repository: string;
  /** Default: the remote's default branch. */
  branch?: string;
  files: readonly string[];
  /** For Helm values files: the key to set (`image.digest`, `image.tag`). */
  key?: string;
  token?: string;
}

export interface PromoteOptions {
  /** The repository, no tag. */
  image: string;
  /** What to promote: a digest, or a full reference (`image:tag`, `image@digest`) resolved to one. */
  target: { digest: string } | { source: string };
  environment: string;
  /** Registry tags to point at the digest; empty: none. */
  tags: readonly string[];
  credentials?: RegistryCredentials;
  gitops?: GitopsTarget;
  commitMessage: string;
  requireTested: boolean;
  /** The version being promoted, for the commit message (the image's version label or tag). */
  version?: string;
  runUrl?: string;
}

/** The run promote belongs to, for the commit message: GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID. */
export function runUrlFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined;
}

/**
 * promote's inputs (the step's `with:` or the command's flags) → its options.
 * promote has no goflow.yml section: what it promotes and where is the
 * workflow's (or the person's) decision for each run, not the service's.
 */
export function readPromoteOptions(
  door: InputSource,
  env: Readonly<Record<string, string | undefined>>,
): PromoteOptions {
  const read = createInputReader(door);
  const image = normalizeImageName(read.string("image", { required: true }));
  const digest = read.optional("digest");
  const source = read.optional("source");
  if ((digest === undefined) === (source === undefined)) {
    throw new ConfigurationError(
      digest
        ? "give digest or source, not both: source is resolved to a digest, so one of them is enough"
        : "input 'digest' is required (or 'source'): the digest to promote, e.g. the publish step's digest output",
    );
  }
  const environment = read.string("environment", { required: true });
  if (!/^[\w.-]+$/.test(environment)) {
    throw new ConfigurationError(
      `environment '${environment}': use letters, digits, '.', '_' and '-' (e.g. staging)`,
    );
  }
  const listed = read.list("tags");
  const tags =
    listed.length === 0 ? [environment] : listed.length === 1 && listed[0] === "none" ? [] : listed;
  for (const tag of tags) assertImageTag(tag);

  const username = read.optional("username");
  const password = read.optional("password");
  if ((username === undefined) !== (password === undefined)) {
    throw new ConfigurationError(
      `${username ? "username is set but password is empty" : "password is set but username is empty"}; give both, or neither to use the credentials docker login stored`,
    );
  }
  const repository = read.optional("gitops-repository");
  const files = read.list("gitops-files");
  if (repository && files.length === 0) {
    throw new ConfigurationError(
      "gitops-repository is set but gitops-files is empty; list the files that pin the image (e.g. envs/staging/kustomization.yaml)",
    );
  }
  if (!repository && files.length > 0) {
    throw new ConfigurationError(
      "gitops-files is set but gitops-repository is empty; set the environment repository's git URL",
    );
  }
  const branch = read.optional("gitops-branch");
  const key = read.optional("gitops-key");
  const token = read.optional("gitops-token");
  const version = read.optional("version");
  const runUrl = runUrlFrom(env);
  return {
    image,
    target: digest ? { digest: assertDigest(digest, "digest") } : { source: source ?? "" },
    environment,
    tags,
    ...(username && password ? { credentials: { username, password } } : {}),
    ...(repository
      ? {
          gitops: {
            repository,
            files,
            ...(branch ? { branch } : {}),
            ...(key ? { key } : {}),
            ...(token ? { token } : {}),
          },
        }
      : {}),
    commitMessage: read.string("commit-message"),
    requireTested: read.boolean("require-tested", true),
    ...(version ? { version } : {}),
    ...(runUrl ? { runUrl } : {}),
  };
}
