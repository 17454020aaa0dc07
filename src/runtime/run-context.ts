import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { ConfigurationError } from "../errors.js";

/**
 * What a stage needs to know about the run it is part of: which event, which
 * ref, which repository. Actions read it from the runner's GITHUB_* variables
 * and event payload; the CLI builds it from the local git checkout.
 */
export interface RunContext {
  eventName: string;
  ref: string;
  sha: string;
  /** owner/name */
  repository: string;
  serverUrl: string;
  defaultBranch: string | undefined;
  runId: string;
  runNumber: number;
  runAttempt: number;
  job: string;
  workspace: string;
  /** Writable scratch space outside the workspace (RUNNER_TEMP). */
  tempDir: string;
  pullRequest: PullRequestInfo | undefined;
  /** Extra facts for labels: description and license from the event payload's repository. */
  repositoryDescription: string | undefined;
  repositoryLicense: string | undefined;
}

export interface PullRequestInfo {
  number: number;
  headSha: string;
  headRef: string;
  /** Code from a fork must never be published and never sees secrets. */
  isFork: boolean;
}

interface EventPayload {
  repository?: {
    default_branch?: string;
    description?: string | null;
    license?: { spdx_id?: string } | null;
    full_name?: string;
  };
  pull_request?: {
    number?: number;
    head?: { sha?: string; ref?: string; repo?: { full_name?: string; fork?: boolean } | null };
  };
}

export function readGitHubRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const payload = readEventPayload(env.GITHUB_EVENT_PATH);
  const repository = env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? "";
  const pr = payload.pull_request;
  const headRepo = pr?.head?.repo;
  return {
    eventName: env.GITHUB_EVENT_NAME ?? "push",
    ref: env.GITHUB_REF ?? "",
    sha: env.GITHUB_SHA ?? "",
    repository,
    serverUrl: env.GITHUB_SERVER_URL ?? "https://github.com",
    defaultBranch: payload.repository?.default_branch ?? undefined,
    runId: env.GITHUB_RUN_ID ?? "0",
    runNumber: Number(env.GITHUB_RUN_NUMBER ?? 0) || 0,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1) || 1,
    job: env.GITHUB_JOB ?? "job",
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    tempDir: env.RUNNER_TEMP ?? tmpdir(),
    pullRequest:
      pr?.number !== undefined
        ? {
            number: pr.number,
            headSha: pr.head?.sha ?? env.GITHUB_SHA ?? "",
            headRef: pr.head?.ref ?? env.GITHUB_HEAD_REF ?? "",
            // A deleted fork has no head repo; treat it as a fork, the safe side.
            isFork: headRepo
              ? headRepo.fork === true || (headRepo.full_name ?? repository) !== repository
              : true,
          }
        : undefined,
    repositoryDescription: payload.repository?.description ?? undefined,
    repositoryLicense: payload.repository?.license?.spdx_id ?? undefined,
  };
}

function readEventPayload(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as EventPayload;
  } catch (error) {
    throw new ConfigurationError(`cannot read the event payload GITHUB_EVENT_PATH=${path}: ${String(error)}`);
  }
}
