import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliNode, cliNodeMajor } from "../harness/node-binary.js";
import { docker, dockerAvailable } from "./support/docker.js";
import { removeLabelledContainers, startRegistry, type TestRegistry } from "./support/registry.js";

/**
 * `goflow package` on a developer's checkout: the same stage as the action,
 * with the run read from git. It builds a fixture that needs no Go binary, so
 * this file costs seconds.
 */
const CLI = resolve("dist/cli/index.cjs");
const FIXTURE = resolve("test/fixtures/package");
const TEST_ID = `docker-package-cli-${cliNodeMajor()}-${process.pid}`;

describe.skipIf(!dockerAvailable)(`goflow package on Node ${cliNodeMajor()}`, () => {
  let registry: TestRegistry;
  let root: string;
  let checkout: string;
  let sha: string;
  let home: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run npm run build`);
    root = mkdtempSync(join(tmpdir(), "goflow-package-cli-"));
    checkout = join(root, "checkout");
    cpSync(FIXTURE, checkout, { recursive: true });
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", checkout, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        encoding: "utf8",
      }).trim();
    git("init", "-q", "-b", "develop");
    git("remote", "add", "origin", "https://github.com/acme/go-auth.git");
    git("add", ".");
    git("commit", "-qm", "fixture");
    sha = git("rev-parse", "HEAD");
    // Its own docker config, so a login here never touches the user's.
    home = join(root, "home");
    mkdirSync(home);
    registry = await startRegistry(TEST_ID);
  });

  afterAll(() => {
    const ids = docker("images", "--quiet", "--no-trunc", "--filter", `label=io.goflow.test=${TEST_ID}`);
    const unique = [...new Set(ids.split("\n").filter(Boolean))];
    if (unique.length > 0) docker("image", "rm", "--force", ...unique);
    removeLabelledContainers(TEST_ID);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const goflow = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(cliNode(), [CLI, ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", ...env },
      timeout: 300_000,
    });

  it("builds the checkout's branch with develop and sha tags and pushes nothing without --push", async () => {
    const image = `${registry.host}/acme/cli-local`;
    const run = goflow([
      "package",
      checkout,
      "--image",
      image,
      "--label",
      `io.goflow.test=${TEST_ID}`,
      "--build-arg",
      "GREETING=hi, there",
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const short = sha.slice(0, 7);
    expect(run.stdout).toContain(`refs/heads/develop at ${sha.slice(0, 12)} (acme/go-auth)`);
    expect(run.stdout).toMatch(new RegExp(`tags +${image}:develop\\n +${image}:sha-${short}`));
    expect(run.stdout).toContain("not pushed: push: false");
    expect(await registry.tags("acme/cli-local")).toEqual([]);
    const inspect = (format: string) => docker("image", "inspect", "--format", format, `${image}:develop`);
    expect(inspect('{{index .Config.Labels "org.opencontainers.image.revision"}}')).toBe(sha);
    expect(inspect('{{index .Config.Labels "org.opencontainers.image.source"}}')).toBe(
      "https://github.com/acme/go-auth",
    );
    const greeting = docker(
      "run",
      "--rm",
      "--label",
      `io.goflow.test=${TEST_ID}`,
      `${image}:develop`,
      "cat",
      "/usr/share/goflow/greeting.txt",
    );
    expect(greeting).toBe("hi, there");
  });

  it("pushes with --push, logging in with the password from the environment and out again", async () => {
    const image = `${registry.host}/acme/cli-pushed`;
    const run = goflow(
      [
        "package",
        checkout,
        "--image",
        image,
        "--label",
        `io.goflow.test=${TEST_ID}`,
        "--push",
        "--username",
        "dev",
        "--extra-tag",
        "edge",
      ],
      { GOFLOW_REGISTRY_PASSWORD: "local-secret" },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`logged in to ${registry.host} as dev`);
    expect(run.stdout).toContain(`logged out of ${registry.host}`);
    expect(run.stdout).not.toContain("local-secret");
    expect(await registry.tags("acme/cli-pushed")).toEqual(["develop", "edge", `sha-${sha.slice(0, 7)}`]);
    expect(readFileSync(join(home, ".docker", "config.json"), "utf8")).not.toContain(registry.host);
  });

  it("explains a bad invocation with exit code 2", () => {
    const missing = goflow(["package", checkout]);
    expect(missing.status, missing.stderr).toBe(2);
    expect(missing.stderr).toContain("goflow package needs --image");
    const release = goflow(["package", checkout, "--image", "acme/app", "--ref", "refs/heads/release/1.3"]);
    expect(release.status, release.stderr).toBe(2);
    expect(release.stderr).toContain("pass --run-number <n>");
  });
});
