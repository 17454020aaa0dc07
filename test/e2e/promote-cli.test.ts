import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTestedMarker } from "../../src/stages/tested-marker.js";
import { cliNode, cliNodeMajor } from "../harness/node-binary.js";
import { dockerAvailable } from "./support/docker.js";
import { removeLabelledContainers, startRegistry, type TestRegistry } from "./support/registry.js";
import { pushTestImage } from "./support/registry-images.js";

/** `goflow promote` from a laptop: the same tested-marker check, credentials from a flag or docker's login. */
const LABEL = `promote-cli-${cliNodeMajor()}-${process.pid}`;
const ACCOUNT = { username: "dev", password: "laptop-p4ss" };

describe.skipIf(!dockerAvailable)(`goflow promote, on Node ${cliNodeMajor()}`, () => {
  let registry: TestRegistry;
  let home: string;
  const basic = {
    authorization: `Basic ${Buffer.from(`${ACCOUNT.username}:${ACCOUNT.password}`).toString("base64")}`,
  };

  beforeAll(async () => {
    registry = await startRegistry(LABEL, { auth: ACCOUNT });
    home = mkdtempSync(join(tmpdir(), "goflow-promote-cli-"));
  });
  afterAll(() => {
    removeLabelledContainers(LABEL);
    rmSync(home, { recursive: true, force: true });
  });

  const goflow = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(cliNode(), [resolve("dist/cli/index.cjs"), "promote", ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: home, DOCKER_CONFIG: join(home, "docker"), NO_COLOR: "1", ...env },
      timeout: 120_000,
    });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  };

  it("promotes what develop points at, with the password from the environment", async () => {
    const pushed = await pushTestImage(registry.url, "acme/app", "develop", { headers: basic });
    const image = `${registry.host}/acme/app`;
    await writeTestedMarker(image, pushed.digest, { created: "t" }, { credentials: ACCOUNT });
    const run = goflow(
      [
        "--image",
        image,
        "--source",
        `${image}:develop`,
        "--environment",
        "staging",
        "--username",
        ACCOUNT.username,
      ],
      { GOFLOW_REGISTRY_PASSWORD: ACCOUNT.password },
    );
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`image     ${image}@${pushed.digest}`);
    expect(run.output).toContain("tag       staging (create)");
    expect((await registry.image("acme/app", "staging")).digest).toBe(pushed.digest);
  });

  it("uses what docker login stored, and refuses an untested image with the reason", async () => {
    const pushed = await pushTestImage(registry.url, "acme/app", "feature-x", { headers: basic });
    const image = `${registry.host}/acme/app`;
    const docker = join(home, "docker");
    rmSync(docker, { recursive: true, force: true });
    spawnSync("mkdir", ["-p", docker]);
    writeFileSync(
      join(docker, "config.json"),
      JSON.stringify({
        auths: {
          [registry.host]: {
            auth: Buffer.from(`${ACCOUNT.username}:${ACCOUNT.password}`).toString("base64"),
          },
        },
      }),
    );
    const refused = goflow(["--image", image, "--digest", pushed.digest, "--environment", "qa"]);
    expect(refused.status, "a configuration error exits 2").toBe(2);
    expect(refused.output).toContain("has not passed goflow's integration tests");
    const forced = goflow([
      "--image",
      image,
      "--digest",
      pushed.digest,
      "--environment",
      "qa",
      "--no-require-tested",
    ]);
    expect(forced.status, forced.output).toBe(0);
    expect((await registry.image("acme/app", "qa")).digest).toBe(pushed.digest);
  });
});
