import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../../errors.js";
import type { Docker } from "../../runtime/docker.js";
import type { GoContainer, GoFolders } from "../../runtime/go-container.js";
import { ProcessError } from "../../runtime/process.js";
import { checkedGo } from "./go-commands.js";

/**
 * The builder image's platform. A local image answers in one docker call,
 * which also proves the engine is reachable (the overhead over a bare
 * `docker run` is measured in bench/go-build-overhead.mjs); only when it does
 * not answer is the engine checked, then the image pulled, each with its own
 * message.
 */
export async function ensureBuilderImage(docker: Docker, image: string): Promise<string> {
  const platformOf = () =>
    docker.run(["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", image], { timeoutMs: 60_000 });
  let inspected = await platformOf().catch(() => undefined);
  if (inspected?.exitCode !== 0) {
    await docker.ensureReachable();
    await docker.ensureImage(image, "builder-image");
    inspected = await platformOf();
  }
  return inspected.stdout.trim();
}

export function currentUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || typeof process.getgid !== "function") return undefined;
  return { uid: process.getuid(), gid: process.getgid() };
}

export interface PreparedFolders {
  root: string;
  paths: GoFolders;
  /** Made for this run only (cache off, tag builds) and removed after it. */
  temporary: boolean;
}

export function prepareFolders(cacheDir: string | undefined, tempDir: string): PreparedFolders {
  const root = cacheDir ?? mkdtempSync(join(tempDir, "goflow-go-"));
  const paths = { home: join(root, "home"), build: join(root, "build"), mod: join(root, "mod") };
  // Made by this process (the runner's user) so the containers, running as that user, can write them.
  try {
    for (const dir of Object.values(paths)) mkdirSync(dir, { recursive: true });
    accessSync(root, constants.W_OK);
    for (const dir of Object.values(paths)) accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new ConfigurationError(
      `cache-dir ${root} is not writable for this user (${error instanceof Error ? error.message : String(error)}); point cache-dir at a folder the runner's user owns`,
    );
  }
  return { root, paths, temporary: cacheDir === undefined };
}

export function writeNetrc(
  tempDir: string,
  runId: string,
  host: string,
  token: string,
  folders: PreparedFolders,
): string {
  const dir = join(tempDir, `goflow-netrc-${runId}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, ".netrc");
  writeFileSync(file, `machine ${host}\nlogin x-access-token\npassword ${token}\n`, { mode: 0o600 });
  // The mount point must exist, or the engine creates it as root inside the (cached) home folder.
  const mountPoint = join(folders.paths.home, ".netrc");
  if (!existsSync(mountPoint)) writeFileSync(mountPoint, "", { mode: 0o600 });
  return file;
}

export async function askGoVersion(go: GoContainer): Promise<string> {
  const result = await checkedGo(go, ["go", "env", "GOVERSION"], { timeoutMs: 120_000 });
  const match = /^go(\d+)\.(\d+)/.exec(result.stdout.trim());
  if (!match)
    throw new ProcessError(`the builder image reported Go version '${result.stdout.trim()}'`, result);
  return `${match[1]}.${match[2]}`;
}
