/**
 * State handed from an action's main step to its `post:` step. Every key is
 * named here, so main and post cannot drift apart on a string.
 */
export const StateKey = {
  /** Set by every main step, so a post step can tell whether main ran at all. */
  mainStarted: "main-started",
  /** root action: "true" once every stage passed, so post saves the Go caches only then. */
  pipelineSucceeded: "pipeline-succeeded",
  /** go-build: cache entries to save in post (JSON). */
  goCache: "go-cache",
  /** docker-package: registry to log out of in post. */
  registryLogin: "registry-login",
  /** compose-test: run label of the environments to tear down in post. */
  composeRunLabel: "compose-run-label",
  /** compose-test: compose projects that may still be up (JSON list). */
  composeProjects: "compose-projects",
  /** compose-test: projects left up by keep-on-failure, which post must not remove (JSON list). */
  composeKeptProjects: "compose-kept-projects",
  /** compose-test: the run's temp folder (compose files, data-folder copies), removed in post if main could not. */
  composeTempDir: "compose-temp-dir",
  /** compose-test: local images a cleanup container may use to remove what containers wrote (JSON list). */
  composeCleanupImages: "compose-cleanup-images",
} as const;

export type StateKeyName = (typeof StateKey)[keyof typeof StateKey];

export interface StateStore {
  save(key: StateKeyName, value: string): void;
  get(key: StateKeyName): string;
}

/** For the CLI, where main and cleanup run in one process. */
export class MemoryState implements StateStore {
  private readonly values = new Map<string, string>();
  save(key: StateKeyName, value: string): void {
    this.values.set(key, value);
  }
  get(key: StateKeyName): string {
    return this.values.get(key) ?? "";
  }
}
