import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  dockerBuildArgs,
  isExecutableFile,
  parseLoadedImage,
  parsePushDigest,
  parseRepoDigest,
  pushRefusal,
  registryHost,
} from "../../../src/stages/docker-package/stage.js";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("dockerBuildArgs", () => {
  it("passes every setting as its own argument, the context last", () => {
    expect(
      dockerBuildArgs(
        {
          dockerfile: "/ws/Dockerfile",
          target: "runtime",
          buildArgs: [["VERSION", "1.2.3; rm -rf /"]],
          context: "/ws",
        },
        {
          references: ["ghcr.io/acme/app:1.2.3", "ghcr.io/acme/app:1"],
          labels: { "org.opencontainers.image.title": "app $(x)" },
          platform: "linux/amd64",
        },
        "/tmp/iid",
      ),
    ).toEqual([
      "build",
      "--file",
      "/ws/Dockerfile",
      "--iidfile",
      "/tmp/iid",
      "--platform",
      "linux/amd64",
      "--target",
      "runtime",
      "--build-arg",
      "VERSION=1.2.3; rm -rf /",
      "--label",
      "org.opencontainers.image.title=app $(x)",
      "--tag",
      "ghcr.io/acme/app:1.2.3",
      "--tag",
      "ghcr.io/acme/app:1",
      "/ws",
    ]);
  });

  it("leaves out what is not set", () => {
    expect(
      dockerBuildArgs(
        { dockerfile: "/ws/Dockerfile", target: undefined, buildArgs: [], context: "/ws" },
        { references: ["app:x"], labels: {}, platform: undefined },
        "/tmp/iid",
      ),
    ).toEqual(["build", "--file", "/ws/Dockerfile", "--iidfile", "/tmp/iid", "--tag", "app:x", "/ws"]);
  });
});

describe("registryHost", () => {
  it.each([
    ["ghcr.io/acme/app", "ghcr.io"],
    ["localhost:5000/acme/app", "localhost:5000"],
    ["localhost/app", "localhost"],
    ["acme/app", "docker.io"],
    ["app", "docker.io"],
  ])("%s → %s", (image, host) => {
    expect(registryHost(image)).toBe(host);
  });
});

describe("docker output parsers", () => {
  it.each<[string, string, string | undefined]>([
    ["a push", `c1c2d89c1696: Pushed\n1.2.3: digest: ${DIGEST} size: 735\n`, DIGEST],
    ["a push of a layer that existed", `c1c2: Layer already exists\nx: digest: ${DIGEST} size: 1`, DIGEST],
    ["no digest line", "c1c2d89c1696: Pushed\n", undefined],
  ])("parsePushDigest: %s", (_name, output, expected) => {
    expect(parsePushDigest(output)).toBe(expected);
  });

  it.each<[string, string, string | undefined]>([
    ["the image's entry", `["other/app@sha256:1","ghcr.io/acme/app@${DIGEST}"]`, DIGEST],
    ["a longer name sharing the prefix", `["ghcr.io/acme/app-x@${DIGEST}"]`, undefined],
    ["none", "[]", undefined],
    ["not JSON", "template: no such field", undefined],
  ])("parseRepoDigest: %s", (_name, json, expected) => {
    expect(parseRepoDigest(json, "ghcr.io/acme/app")).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ["Loaded image: localhost:5000/acme/app:develop\n", "localhost:5000/acme/app:develop"],
    [`Loaded image ID: ${DIGEST}\n`, DIGEST],
    ["nothing useful", undefined],
  ])("parseLoadedImage(%j)", (output, expected) => {
    expect(parseLoadedImage(output)).toBe(expected);
  });
});

describe("isExecutableFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "goflow-exec-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    chmodSync(path, 0o644);
    return path;
  };

  it.each<[string, Buffer | string, boolean]>([
    ["an ELF binary", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), true],
    ["a script", "#!/bin/sh\necho hi\n", true],
    ["a config file", "listen: 9000\n", false],
    ["an empty file", "", false],
    ["one byte", "#", false],
  ])("%s: %s", (name, content, expected) => {
    expect(isExecutableFile(file(name.replace(/\W+/g, "-"), content))).toBe(expected);
  });
});

describe("pushRefusal", () => {
  it.each<[string, string | undefined]>([
    [
      "The push refers to repository [localhost:5000/a]\nno basic auth credentials\n",
      "no basic auth credentials",
    ],
    ["unauthorized: authentication required", "unauthorized: authentication required"],
    ["denied: permission_denied: write_package", "denied: permission_denied: write_package"],
    ["received unexpected HTTP status: 500 Internal Server Error", undefined],
    ["", undefined],
  ])("%j -> %j", (stderr, expected) => {
    expect(pushRefusal(stderr)).toBe(expected);
  });
});
