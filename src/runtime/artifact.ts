import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { ConfigurationError } from "../errors.js";

/**
 * Hands files from one job to the next: @actions/artifact on GitHub, a local
 * folder elsewhere (the CLI, the test harness, self-hosted runs without the
 * artifact service), with the same names and layout either way.
 */
export interface ArtifactStore {
  readonly kind: "github" | "local";
  /** Uploads `files` (absolute paths under `rootDir`, kept relative to it); returns the artifact id. */
  upload(name: string, files: string[], rootDir: string): Promise<string>;
  /** Downloads the named artifact into `destination`; returns the absolute paths of its files. */
  download(name: string, destination: string): Promise<string[]>;
}

export class GitHubArtifactStore implements ArtifactStore {
  readonly kind = "github";
  private readonly client = new DefaultArtifactClient();

  async upload(name: string, files: string[], rootDir: string): Promise<string> {
    const response = await this.client.uploadArtifact(name, files, rootDir, { retentionDays: 1 });
    return String(response.id ?? "");
  }

  async download(name: string, destination: string): Promise<string[]> {
    let id: number;
    try {
      id = (await this.client.getArtifact(name)).artifact.id;
    } catch (error) {
      throw new ConfigurationError(
        `artifact '${name}' was not found in this workflow run (${error instanceof Error ? error.message : String(error)}); check that the job that uploads it ran first and uses the same artifact-name`,
      );
    }
    mkdirSync(destination, { recursive: true });
    const response = await this.client.downloadArtifact(id, { path: destination });
    return listFiles(response.downloadPath ?? destination);
  }
}

export class LocalArtifactStore implements ArtifactStore {
  readonly kind = "local";
  constructor(readonly root: string) {}

  async upload(name: string, files: string[], rootDir: string): Promise<string> {
    const target = join(this.root, name);
    rmSync(target, { recursive: true, force: true });
    for (const file of files) {
      const destination = join(target, relative(rootDir, file));
      mkdirSync(dirname(destination), { recursive: true });
      copyFileSync(file, destination);
    }
    return `local:${target}`;
  }

  async download(name: string, destination: string): Promise<string[]> {
    const source = join(this.root, name);
    if (!existsSync(source))
      throw new ConfigurationError(
        `artifact '${name}' was not found in ${this.root}; run the stage that uploads it first, with the same artifact-name`,
      );
    const copied: string[] = [];
    for (const file of listFiles(source)) {
      const target = join(destination, relative(source, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
      copied.push(target);
    }
    return copied;
  }
}

/** The artifact service is there when the runner gave this step its runtime token. */
export function createArtifactStore(env: NodeJS.ProcessEnv, tempDir: string): ArtifactStore {
  if (env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL) return new GitHubArtifactStore();
  return new LocalArtifactStore(env.GOFLOW_ARTIFACT_DIR || join(tempDir, "goflow-artifacts"));
}

function listFiles(root: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(root).sort()) {
    const path = join(root, entry);
    if (statSync(path).isDirectory()) files.push(...listFiles(path));
    else files.push(path);
  }
  return files;
}
