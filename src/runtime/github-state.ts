import * as core from "@actions/core";
import type { StateStore } from "./state.js";

/**
 * GITHUB_STATE in main, STATE_* in post: the runner carries values between
 * them. Apart from state.ts so the CLI's bundle holds no @actions/core.
 */
export const gitHubState: StateStore = {
  save: (key, value) => core.saveState(key, value),
  get: (key) => core.getState(key),
};
