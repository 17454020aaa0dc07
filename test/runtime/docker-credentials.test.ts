import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readDockerCredentials } from "../../src/runtime/docker-credentials.js";

describe("readDockerCredentials", () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  const configDir = (config: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), "goflow-docker-config-"));
    folders.push(dir);
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    return dir;
  };
  const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString("base64");

  it.each([
    {
      name: "auths by host",
      config: { auths: { "ghcr.io": { auth: auth("u", "p:w") } } },
      host: "ghcr.io",
      expected: { username: "u", password: "p:w" },
    },
    {
      name: "auths by https URL",
      config: { auths: { "https://ghcr.io": { auth: auth("u", "p") } } },
      host: "ghcr.io",
      expected: { username: "u", password: "p" },
    },
    {
      name: "Docker Hub's legacy key",
      config: { auths: { "https://index.docker.io/v1/": { auth: auth("hub", "t") } } },
      host: "docker.io",
      expected: { username: "hub", password: "t" },
    },
    {
      name: "another host only",
      config: { auths: { "quay.io": { auth: auth("u", "p") } } },
      host: "ghcr.io",
      expected: undefined,
    },
    {
      name: "an identity token only",
      config: { auths: { "ghcr.io": {} } },
      host: "ghcr.io",
      expected: undefined,
    },
  ])("$name", async ({ config, host, expected }) => {
    expect(await readDockerCredentials(host, { DOCKER_CONFIG: configDir(config) })).toEqual(expected);
  });

  it("is undefined without a config", async () => {
    expect(
      await readDockerCredentials("ghcr.io", { DOCKER_CONFIG: join(tmpdir(), "goflow-no-such-config") }),
    ).toBeUndefined();
  });

  it("asks the credential helper the config names", async () => {
    const dir = configDir({ credHelpers: { "ghcr.io": "goflowtest" } });
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const helper = join(bin, "docker-credential-goflowtest");
    writeFileSync(
      helper,
      '#!/bin/sh\nread server\necho "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"helper\\",\\"Secret\\":\\"s3\\"}"\n',
    );
    chmodSync(helper, 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      expect(await readDockerCredentials("ghcr.io", { DOCKER_CONFIG: dir })).toEqual({
        username: "helper",
        password: "s3",
      });
    } finally {
      process.env.PATH = path;
    }
  });
});
