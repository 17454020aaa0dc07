import { execFileSync } from "node:child_process";

/**
 * Whether the engine answers. Checked once, synchronously, so files can use
 * `describe.skipIf(!dockerAvailable)`. With CI set, a missing engine fails the
 * file instead: a CI run that skipped every end-to-end test proves nothing.
 */
function probeDocker(): boolean {
  try {
    execFileSync("docker", ["info", "--format", "{{.ServerVersion}}"], { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

export const dockerAvailable = probeDocker();

if (!dockerAvailable && process.env.CI) {
  throw new Error(
    "Docker is not reachable and CI is set: end-to-end tests must run, not skip. Run `bash ../shared/docker-env/setup.sh` first.",
  );
}

/** Runs docker synchronously in a test, returning trimmed stdout. */
export function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", timeout: 300_000 }).trim();
}

/** Ids of everything left with the given label, so a test can assert there is nothing. */
export function leftovers(label: string): string[] {
  const filter = `label=${label}`;
  return [
    ...docker("ps", "-aq", "--filter", filter).split("\n"),
    ...docker("network", "ls", "-q", "--filter", filter).split("\n"),
    ...docker("volume", "ls", "-q", "--filter", filter).split("\n"),
  ].filter(Boolean);
}
