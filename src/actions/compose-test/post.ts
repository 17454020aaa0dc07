import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { cleanUpComposeTest } from "../../stages/compose-test/stage.js";
import { runActionEntry } from "../entry.js";

/** Removes whatever main left up (a cancelled job, a crash); keeps what keep-on-failure kept. */
runActionEntry("compose-test post", async (reporter) => {
  await cleanUpComposeTest(new Docker(), gitHubState, reporter);
});
