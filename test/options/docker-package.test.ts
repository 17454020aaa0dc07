import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import {
  parseExplicitTags,
  parseKeyValueLines,
  parseSourceDateEpoch,
  readDockerPackageOptions,
  resolvePackagePaths,
} from "../../src/options/docker-package.js";
import { emptyProjectConfig } from "../../src/rules/config/project-config.js";
import { bothDoors } from "./support.js";

describe("parseKeyValueLines", () => {
  it.each<[string, string, [string, string][]]>([
    ["empty", "", []],
    ["one pair", "VERSION=1.2.3", [["VERSION", "1.2.3"]]],
    ["values keep = and commas", "LDFLAGS=-X a=b,c", [["LDFLAGS", "-X a=b,c"]]],
    ["an empty value", "EMPTY=", [["EMPTY", ""]]],
    [
      "blank lines, comments, CRLF and spaces around the line",
      "  A=1  \r\n\n# a comment\nB = 2\n",
      [
        ["A", "1"],
        ["B", " 2"],
      ],
    ],
    [
      "repeated keys stay in order (docker keeps the last)",
      "A=1\nA=2",
      [
        ["A", "1"],
        ["A", "2"],
      ],
    ],
  ])("%s", (_name, text, expected) => {
    expect(parseKeyValueLines(text, "build-args")).toEqual(expected);
  });

  it.each([
    ["no =", "VERSION", /build-args line 1 'VERSION' is not KEY=VALUE/],
    ["empty key", "\n=value", /build-args line 2 '=value' is not KEY=VALUE/],
    ["space in key", "MY KEY=1", /key 'MY KEY' contains white space/],
  ])("refuses %s", (_name, text, message) => {
    expect(() => parseKeyValueLines(text, "build-args")).toThrow(ConfigurationError);
    expect(() => parseKeyValueLines(text, "build-args")).toThrow(message);
  });
});

describe("parseExplicitTags", () => {
  it("keeps bare tags in order, once, skipping blanks", () => {
    expect(parseExplicitTags(["edge", " ", "1.2.3", "edge"])).toEqual(["edge", "1.2.3"]);
  });
  it.each([
    ["a full reference", "ghcr.io/acme/app:1.2.3", /not a bare tag/],
    ["a digest", "sha256@abc", /not a bare tag/],
    ["an invalid tag", "-edge", /not a valid image tag/],
  ])("refuses %s", (_name, tag, message) => {
    expect(() => parseExplicitTags([tag])).toThrow(message);
  });
});

describe("resolvePackagePaths", () => {
  it.each<[string, Parameters<typeof resolvePackagePaths>[1], ReturnType<typeof resolvePackagePaths>]>([
    [
      "defaults: the workspace, its Dockerfile",
      {},
      { workingDirectory: "/ws", context: "/ws", dockerfile: "/ws/Dockerfile" },
    ],
    [
      "a service folder",
      { workingDirectory: "services/auth" },
      {
        workingDirectory: "/ws/services/auth",
        context: "/ws/services/auth",
        dockerfile: "/ws/services/auth/Dockerfile",
      },
    ],
    [
      "context and dockerfile relative to the working directory",
      { workingDirectory: "svc", context: "build", dockerfile: "docker/prod.Dockerfile" },
      { workingDirectory: "/ws/svc", context: "/ws/svc/build", dockerfile: "/ws/svc/docker/prod.Dockerfile" },
    ],
    [
      "the default Dockerfile follows the context",
      { workingDirectory: "svc", context: "../shared" },
      { workingDirectory: "/ws/svc", context: "/ws/shared", dockerfile: "/ws/shared/Dockerfile" },
    ],
    [
      "absolute paths stay",
      { workingDirectory: "/abs/svc", dockerfile: "/abs/Dockerfile" },
      { workingDirectory: "/abs/svc", context: "/abs/svc", dockerfile: "/abs/Dockerfile" },
    ],
  ])("%s", (_name, given, expected) => {
    expect(resolvePackagePaths("/ws", given)).toEqual(expected);
  });
});

describe("parseSourceDateEpoch", () => {
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ["", undefined],
    [" 1700000000 ", 1_700_000_000],
  ])("%j → %j", (value, expected) => {
    expect(parseSourceDateEpoch(value)).toBe(expected);
  });
  it("refuses a date that is not whole seconds", () => {
    expect(() => parseSourceDateEpoch("2026-11-20")).toThrow(/whole seconds since 1970/);
  });
});

describe("readDockerPackageOptions", () => {
  const config = emptyProjectConfig();
  config.package = { image: "ghcr.io/acme/from-goflow-yml", latest: "false", "build-args": "A=1" };
  const env = { SOURCE_DATE_EPOCH: "1700000000", GITHUB_API_URL: "https://ghe.example/api/v3" };

  it.each(
    bothDoors(
      {
        image: "ghcr.io/acme/app",
        tags: "edge, 1.2.3",
        labels: "a=b",
        push: "true",
        "extra-tags": "nightly",
      },
      { config, env },
    ),
  )("reads %s over goflow.yml and the defaults", (_door, sources) => {
    expect(readDockerPackageOptions(sources)).toEqual({
      image: "ghcr.io/acme/app",
      workingDirectory: "/ws",
      context: "/ws",
      dockerfile: "/ws/Dockerfile",
      buildArgs: [["A", "1"]],
      target: undefined,
      labels: { a: "b" },
      platforms: [],
      gitflow: { versionTagPrefix: "v", keepVersionPrefix: false, extraTags: ["nightly"], latest: "false" },
      explicitTags: ["edge", "1.2.3"],
      push: "true",
      deferPush: false,
      registry: undefined,
      username: undefined,
      password: undefined,
      artifactName: undefined,
      saveArtifact: undefined,
      loadArtifact: undefined,
      githubToken: undefined,
      apiUrl: "https://ghe.example/api/v3",
      sourceDateEpoch: 1_700_000_000,
    });
  });

  it.each(bothDoors({}))("requires an image from %s or goflow.yml", (_door, sources) => {
    expect(() => readDockerPackageOptions(sources)).toThrow("input 'image' is required");
  });
});
