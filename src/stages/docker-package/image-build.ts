import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from "node:fs";
import { chmod } from "node:fs/promises";
import { join, relative } from "node:path";
import { ConfigurationError } from "../../errors.js";
import type { PackageOptions } from "../../options/docker-package.js";
import { dockerBuildArgs } from "../../runtime/docker.js";
import { streamLines } from "./live-output.js";
import { MINUTE, type PackageRuntime } from "./package-runtime.js";

/** What the stage computed for the build. */
export interface BuildPlan {
  references: string[];
  labels: Record<string, string>;
  platform: string | undefined;
}

/** The context and the Dockerfile must exist before anything runs. */
export function validateBuildFiles(options: PackageOptions): void {
  if (!existsSync(options.context) || !statSync(options.context).isDirectory()) {
    throw new ConfigurationError(
      `context '${options.context}' is not a folder; set context (relative to working-directory '${options.workingDirectory}') to the folder the Dockerfile copies from`,
    );
  }
  if (!existsSync(options.dockerfile) || !statSync(options.dockerfile).isFile()) {
    throw new ConfigurationError(
      `Dockerfile '${options.dockerfile}' does not exist; add it, or set dockerfile (relative to working-directory '${options.workingDirectory}') to the file that builds this image`,
    );
  }
}

/** go-build's binaries lose their executable bit in artifacts; executables get it back. */
export async function downloadBinaries(
  name: string,
  destination: string,
  runtime: PackageRuntime,
): Promise<void> {
  await runtime.reporter.group(`download artifact ${name}`, async () => {
    const files = await runtime.artifacts.download(name, destination);
    for (const file of files) {
      const executable = isExecutableFile(file);
      if (executable) await chmod(file, 0o755);
      runtime.reporter.info(`${relative(destination, file)}${executable ? " (executable)" : ""}`);
    }
    if (files.length === 0) {
      throw new ConfigurationError(
        `artifact '${name}' is empty; check that go-build uploaded its binaries under that artifact-name`,
      );
    }
  });
}

/** ELF binaries and `#!` scripts. */
export function isExecutableFile(path: string): boolean {
  const head = Buffer.alloc(4);
  const fd = openSync(path, "r");
  let read: number;
  try {
    read = readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, read);
  return (
    bytes.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) ||
    (bytes.length >= 2 && bytes[0] === 0x23 && bytes[1] === 0x21)
  );
}

/** `docker build`, its output live in a log group; returns the built image's id. */
export async function buildImage(
  options: PackageOptions,
  build: BuildPlan,
  runtime: PackageRuntime,
): Promise<string> {
  const scratch = mkdtempSync(join(runtime.context.tempDir, "goflow-package-"));
  try {
    const iidfile = join(scratch, "iid");
    const args = dockerBuildArgs({
      dockerfile: options.dockerfile,
      context: options.context,
      target: options.target,
      buildArgs: options.buildArgs,
      ...build,
      iidfile,
    });
    await runtime.reporter.group(`docker build ${build.references[0] ?? ""}`, async () => {
      const live = streamLines(runtime.reporter);
      try {
        await runtime.docker.checked(args, {
          cwd: options.workingDirectory,
          timeoutMs: 60 * MINUTE,
          signal: runtime.signal,
          ...live.options,
        });
      } finally {
        live.flush();
      }
    });
    const imageId = readFileSync(iidfile, "utf8").trim();
    if (!imageId) throw new Error(`docker build wrote no image id to ${iidfile}`);
    runtime.reporter.info(`built ${imageId}`);
    return imageId;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
