import { constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
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
  /**
   * Places the named artifact's files in `destination` and returns their
   * absolute paths there: the artifact's own files, never what `destination`
   * held before.
   */
  download(name: string, destination: string): Promise<string[]>;
}

/** How artifacts travel; the store around it decides what a download returns. */
export interface ArtifactTransport {
  readonly kind: "github" | "local";
  upload(name: string, files: string[], rootDir: string): Promise<string>;
  /** Writes the named artifact's files into `folder`, which is empty and this call's alone. */
  fetchInto(name: string, folder: string): Promise<void>;
}

export interface ArtifactSettings {
  /** Days an upload is kept; undefined keeps it for the repository's artifact retention setting. */
  retentionDays: number | undefined;
}

/**
 * Every download lands in a fresh folder of its own first: what was fetched is
 * then exactly the artifact, whatever the destination (a checkout, with .git,
 * scripts and dangling symlinks) already holds. Only those files are placed in
 * the destination and returned.
 */
export class StagedArtifactStore implements ArtifactStore {
  constructor(
    private readonly transport: ArtifactTransport,
    private readonly tempDir: string,
  ) {}

  get kind(): "github" | "local" {
    return this.transport.kind;
  }

  upload(name: string, files: string[], rootDir: string): Promise<string> {
    return this.transport.upload(name, files, rootDir);
  }

  async download(name: string, destination: string): Promise<string[]> {
    mkdirSync(this.tempDir, { recursive: true });
    const scratch = mkdtempSync(join(this.tempDir, "goflow-artifact-"));
    try {
      await this.transport.fetchInto(name, scratch);
      const placed: string[] = [];
      for (const file of listRegularFiles(scratch)) {
        const target = join(destination, relative(scratch, file));
        mkdirSync(dirname(target), { recursive: true });
        // What stood there (a file, or a symlink that copyFile would write through) is replaced.
        rmSync(target, { force: true });
        copyFileSync(file, target, constants.COPYFILE_EXCL);
        placed.push(target);
      }
      return placed;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}

export class GitHubArtifactTransport implements ArtifactTransport {
  readonly kind = "github";
  private readonly client = new DefaultArtifactClient();

  constructor(private readonly settings: ArtifactSettings) {}

  async upload(name: string, files: string[], rootDir: string): Promise<string> {
    const retention = this.settings.retentionDays;
    const response = await this.client.uploadArtifact(
      name,
      files,
      rootDir,
      retention === undefined ? {} : { retentionDays: retention },
    );
    return String(response.id ?? "");
  }

  async fetchInto(name: string, folder: string): Promise<void> {
    let artifact: { id: number; digest?: string | undefined };
    try {
      artifact = (await this.client.getArtifact(name)).artifact;
    } catch (error) {
      throw new ConfigurationError(
        `artifact '${name}' was not found in this workflow run (${error instanceof Error ? error.message : String(error)}); check that the job that uploads it ran first and uses the same artifact-name`,
      );
    }
    const downloaded = await this.client.downloadArtifact(artifact.id, {
      path: folder,
      ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
    });
    if (downloaded.digestMismatch)
      throw new Error(
        `artifact '${name}' arrived with another digest than ${artifact.digest} it was uploaded with`,
      );
  }
}

export class LocalArtifactTransport implements ArtifactTransport {
  readonly kind = "local";
  constructor(readonly root: string) {}

  async upload(name: string, files: string[], rootDir: string): Promise<string> {
    const target = join(this.root, name);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of files) {
      const destination = join(target, relative(rootDir, file));
      mkdirSync(dirname(destination), { recursive: true });
      copyFileSync(file, destination);
    }
    return `local:${target}`;
  }

  async fetchInto(name: string, folder: string): Promise<void> {
    const source = join(this.root, name);
    if (!existsSync(source))
      throw new ConfigurationError(
        `artifact '${name}' was not found in ${this.root}; run the stage that uploads it first, with the same artifact-name`,
      );
    for (const file of listRegularFiles(source)) {
      const target = join(folder, relative(source, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
    }
  }
}

/** The artifact service is there when the runner gave this step its runtime token. */
export function createArtifactStore(
  env: NodeJS.ProcessEnv,
  tempDir: string,
  settings: ArtifactSettings = { retentionDays: undefined },
): ArtifactStore {
  const transport =
    env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL
      ? new GitHubArtifactTransport(settings)
      : new LocalArtifactTransport(env.GOFLOW_ARTIFACT_DIR || join(tempDir, "goflow-artifacts"));
  return new StagedArtifactStore(transport, tempDir);
}

/** Regular files under `root`, sorted; symlinks are neither followed nor listed. */
export function listRegularFiles(root: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) files.push(...listRegularFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
