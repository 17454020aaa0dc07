import { isAbsolute, join, resolve } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";

/**
 * Stand-in for actions/download-artifact (its pinned code may not be vendored
 * here): by name into `path`, or every artifact of the run into
 * `path/<name>`, through the real @actions/artifact client.
 */
async function main(): Promise<void> {
  // What the stand-in cannot do fails the step rather than being ignored into a green run.
  for (const input of ["pattern", "run-id", "repository", "artifact-ids"])
    if (core.getInput(input)) throw new Error(`the download-artifact stand-in does not support '${input}'`);
  if (core.getInput("merge-multiple") === "true")
    throw new Error("the download-artifact stand-in does not support 'merge-multiple'");
  const name = core.getInput("name");
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const given = core.getInput("path") || workspace;
  const path = isAbsolute(given) ? given : resolve(workspace, given);
  const client = new DefaultArtifactClient();
  if (name) {
    const { artifact } = await client.getArtifact(name);
    await client.downloadArtifact(artifact.id, { path });
    core.info(`Artifact ${name} was downloaded to ${path}`);
  } else {
    const { artifacts } = await client.listArtifacts({ latest: true });
    for (const artifact of artifacts)
      await client.downloadArtifact(artifact.id, { path: join(path, artifact.name) });
    core.info(`${artifacts.length} artifacts were downloaded to ${path}`);
  }
  core.setOutput("download-path", path);
}

main().catch((error: unknown) => core.setFailed(error instanceof Error ? error.message : String(error)));
