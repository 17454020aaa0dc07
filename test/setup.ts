import { afterAll } from "vitest";
import { removeFixtureBundles } from "./harness/bundle-fixture.js";
import { removeRunnerFolders } from "./harness/run-action.js";

// Each file's action runs leave runner folders (RUNNER_TEMP, GITHUB_OUTPUT, ...) that tests read
// after the run; they go when the file is done.
afterAll(() => {
  removeRunnerFolders();
  removeFixtureBundles();
});
