import type { GitflowInput } from "../rules/gitflow/index.js";
import type { RunContext } from "../runtime/run-context.js";

/** The git-flow rules' view of a run: which event, which ref, which commit, which pull request. */
export function gitflowInputOf(context: RunContext): GitflowInput {
  return {
    eventName: context.eventName,
    ref: context.ref,
    sha: context.sha,
    pullRequest: context.pullRequest
      ? {
          number: context.pullRequest.number,
          headSha: context.pullRequest.headSha,
          fromFork: context.pullRequest.isFork,
        }
      : undefined,
    defaultBranch: context.defaultBranch ?? "",
    runNumber: context.runNumber,
  };
}
