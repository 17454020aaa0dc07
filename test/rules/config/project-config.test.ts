import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { type ProjectConfigSchema, parseProjectConfig } from "../../../src/rules/config/project-config.js";

const schema: ProjectConfigSchema = {
  build: ["go-version", "test-flags", "vet", "platforms"],
  package: ["image", "extra-tags"],
  test: ["tests", "images", "parallel"],
};

describe("parseProjectConfig", () => {
  it.each<[string, string, Record<string, Record<string, string>>]>([
    ["an empty file", "", { build: {}, package: {}, test: {} }],
    ["an empty section", "build:\n", { build: {}, package: {}, test: {} }],
    [
      "strings, numbers and booleans as the runner passes them",
      "build:\n  go-version: '1.24'\n  vet: false\ntest:\n  parallel: 4\n",
      { build: { "go-version": "1.24", vet: "false" }, package: {}, test: { parallel: "4" } },
    ],
    [
      "lists as lines",
      "build:\n  platforms: [linux/amd64, linux/arm64]\ntest:\n  tests:\n    - tests/a.yml\n    - tests/b.yml\n",
      {
        build: { platforms: "linux/amd64\nlinux/arm64" },
        package: {},
        test: { tests: "tests/a.yml\ntests/b.yml" },
      },
    ],
    [
      "maps as KEY=VALUE lines",
      "test:\n  images:\n    goauth: goauth:dev\n    worker: w:1\n",
      { build: {}, package: {}, test: { images: "goauth=goauth:dev\nworker=w:1" } },
    ],
  ])("reads %s", (_name, text, expected) => {
    expect(parseProjectConfig(text, "goflow.yml", schema)).toEqual(expected);
  });

  it.each<[string, string, RegExp, number, number]>([
    [
      "an unknown section",
      "biuld:\n  vet: true\n",
      /unknown section 'biuld' \(did you mean 'build'\?\)/,
      1,
      1,
    ],
    [
      "an unknown key",
      "package:\n  imgae: x\n",
      /unknown key 'imgae' in 'package' \(did you mean 'image'\?\)/,
      2,
      3,
    ],
    ["a section that is not a map", "test: yes\n", /'test' must be a mapping/, 1, 7],
    ["a nested value", "build:\n  vet:\n    a: [1]\n", /'build.vet.a' must be a plain value/, 3, 8],
    ["a YAML syntax error", "build:\n  vet: [true\n", /YAML syntax error/, 3, 1],
    ["a document that is a list", "- build\n", /must be a mapping with the sections/, 1, 1],
  ])("rejects %s with file, line and column", (_name, text, message, line, column) => {
    let error: unknown;
    try {
      parseProjectConfig(text, "svc/goflow.yml", schema);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const configError = error as ConfigurationError;
    expect(configError.message).toMatch(message);
    expect(configError.location).toEqual({ file: "svc/goflow.yml", line, column });
  });
});
