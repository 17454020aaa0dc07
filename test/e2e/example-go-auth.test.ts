import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chownTree } from "../harness/run-action.js";
import { docker, dockerAvailable } from "./support/docker.js";
import { runGoInContainer } from "./support/go.js";
import { ensureRunnerUser, rootOwnedFiles } from "./support/runner-user.js";

/**
 * The example service is the pipeline's demo and the main fixture of every
 * other end-to-end test, so it is proven here on its own: it builds and its
 * unit tests pass in golang:1.24, and its compose file brings it up beside
 * Redis on the fixed port it publishes.
 */
const example = resolve("examples/go-auth");

describe.skipIf(!dockerAvailable)("examples/go-auth", () => {
  let workdir: string;
  const project = `goflow-example-${process.pid}`;
  const image = `goflow-example-go-auth:${process.pid}`;
  let user: { uid: number; gid: number };

  beforeAll(() => {
    user = ensureRunnerUser();
    workdir = mkdtempSync(join(tmpdir(), "goflow-example-"));
    cpSync(example, workdir, { recursive: true });
    chownTree(workdir, user);
  });

  afterAll(() => {
    try {
      docker("compose", "-p", project, "down", "--volumes", "--remove-orphans", "--timeout", "5");
      docker("image", "rm", "-f", image);
    } finally {
      rmSync(workdir, { recursive: true, force: true });
    }
  });

  const goInContainer = (...args: string[]) => runGoInContainer(workdir, user, args);

  it("is gofmt-clean, vets, passes its unit tests and builds in golang:1.24", () => {
    expect(goInContainer("gofmt", "-l", ".")).toBe("");
    goInContainer("go", "vet", "./...");
    expect(goInContainer("go", "test", "./...")).toMatch(/^ok\s+example\.com\/go-auth/m);
    goInContainer("go", "build", "-trimpath", "-o", "go-auth", ".");
    expect(rootOwnedFiles(workdir)).toEqual([]);
  });

  it("comes up with compose and answers PUT /user with 200, then 409", async () => {
    docker("build", "-t", image, workdir);
    const env = { ...process.env, GO_AUTH_IMAGE: image };
    const compose = (...args: string[]) =>
      execFileText(
        "docker",
        ["compose", "-f", join(workdir, "docker-compose.yml"), "-p", project, ...args],
        env,
      );
    compose("up", "-d", "--wait", "--no-build");
    const form = new URLSearchParams({ userid: "e2e-user", password: "s3cret" });
    const register = () => fetchWhenReady("http://127.0.0.1:9000/user", { method: "PUT", body: form });
    expect((await register()).status).toBe(200);
    const conflict = await register();
    expect(conflict.status).toBe(409);
    expect(await conflict.text()).toContain("exists");

    compose("down", "--volumes", "--remove-orphans", "--timeout", "5");
    const filter = `label=com.docker.compose.project=${project}`;
    expect(docker("ps", "-aq", "--filter", filter)).toBe("");
    expect(docker("network", "ls", "-q", "--filter", filter)).toBe("");
    expect(docker("volume", "ls", "-q", "--filter", filter)).toBe("");
  });
});

function execFileText(command: string, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(command, args, { encoding: "utf8", env, timeout: 300_000 }).trim();
}

/** The service starts before Redis answers; retry the first request until /health says it is ready. */
async function fetchWhenReady(url: string, init: RequestInit): Promise<Response> {
  const health = new URL("/health", url).href;
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      if ((await fetch(health)).status === 200) return fetch(url, init);
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${health} never answered 200`);
}
