import { Docker } from "../../runtime/docker.js";
import { gitHubState } from "../../runtime/github-state.js";
import { StateKey } from "../../runtime/state.js";
import { logoutRegistry } from "../../stages/docker-package/stage.js";
import { runActionEntry } from "../entry.js";

/** Logs out of the registry main logged in to; does nothing when main did not log in. */
runActionEntry("docker-package post", async (reporter) => {
  const registry = gitHubState.get(StateKey.registryLogin);
  if (!registry) return;
  await logoutRegistry(new Docker(), registry, reporter);
});
