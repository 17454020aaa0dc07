import { isAbsolute, join, resolve } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";

/**
 * Stand-in for actions/download-artifact (its pinned code may not be vendored
 * here): by name into `path`, or every artifact of the run into
 * `path/<name>`, through the real @actions/artifact client.
 */
async function main(): Promise<void> {
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
