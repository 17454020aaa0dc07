import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  defaultBinaryName,
  type GoMod,
  goVersionFromGoMod,
  hasRequirements,
  parseGoMod,
} from "../../../src/rules/go/index.js";

describe("parseGoMod", () => {
  it.each<[string, string, GoMod]>([
    ["module only", "module example.com/go-auth\n", { module: "example.com/go-auth" }],
    [
      "go minor version",
      "module example.com/go-auth\n\ngo 1.24\n",
      { module: "example.com/go-auth", go: "1.24" },
    ],
    ["go patch version", "module m\ngo 1.24.1", { module: "m", go: "1.24.1" }],
    ["go prerelease", "module m\ngo 1.25rc1", { module: "m", go: "1.25rc1" }],
    [
      "toolchain",
      "module m\n\ngo 1.23\n\ntoolchain go1.24.3\n",
      { module: "m", go: "1.23", toolchain: "go1.24.3" },
    ],
    [
      "comments everywhere, CRLF",
      "// Deprecated: use v2\r\nmodule example.com/foo // the module\r\n\r\ngo 1.24 // minimum\r\n",
      { module: "example.com/foo", go: "1.24" },
    ],
    ["byte-order mark", "\uFEFFmodule example.com/bom\n", { module: "example.com/bom" }],
    ["quoted module path", 'module "example.com/quoted"\n', { module: "example.com/quoted" }],
    ["raw-quoted module path", "module `example.com/raw`\n", { module: "example.com/raw" }],
    [
      "block forms of other directives are skipped",
      [
        "module example.com/app",
        "",
        "go 1.24",
        "",
        "require (",
        "\tgithub.com/redis/go-redis/v9 v9.7.0 // indirect",
        "\tgolang.org/x/crypto v0.31.0",
        ")",
        "",
        "require github.com/google/uuid v1.6.0",
        "replace (",
        "\texample.com/old => ../old",
        ")",
        "exclude golang.org/x/net v1.2.3",
        "retract [v1.0.0, v1.0.5]",
        "tool golang.org/x/tools/cmd/stringer",
        "godebug (",
        "\tdefault=go1.21",
        ")",
        "require ()",
      ].join("\n"),
      { module: "example.com/app", go: "1.24" },
    ],
    [
      "module in block form",
      "module (\n  example.com/block\n)\ngo 1.22",
      { module: "example.com/block", go: "1.22" },
    ],
    ["go in block form", "module m\ngo (\n 1.24.2\n)", { module: "m", go: "1.24.2" }],
    ["// inside a quoted path is not a comment", 'module "example.com/a//b"', { module: "example.com/a//b" }],
    ["toolchain default", "module m\ntoolchain default", { module: "m", toolchain: "default" }],
    ["no space before a block's (", "module m\nrequire(\n x v1.0.0\n)\n", { module: "m" }],
  ])("%s", (_, text, expected) => {
    expect(parseGoMod(text, "go.mod")).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ["empty file", "", /^go\.mod: go\.mod has no 'module' directive/],
    ["only comments", "// module example.com/x\n", /no 'module' directive/],
    ["module in a comment block only", "require (\n module x\n)\n", /no 'module' directive/],
    ["module without a path", "module\ngo 1.24", /^go\.mod:1: 'module' needs exactly one value/],
    ["two module paths", "module a b", /go\.mod:1: 'module' needs exactly one value/],
    ["module twice", "module a\nmodule b", /go\.mod:2: 'module' is given twice/],
    ["bad go version", "module m\ngo 1.x", /go\.mod:2: 'go 1\.x' is not a Go version/],
    ["go with a v prefix", "module m\ngo v1.24", /'go v1\.24' is not a Go version/],
    ["go twice", "module m\ngo 1.23\ngo 1.24", /go\.mod:3: 'go' is given twice/],
    [
      "bad toolchain",
      "module m\ntoolchain 1.24.3",
      /go\.mod:2: 'toolchain 1\.24\.3' is not a toolchain name/,
    ],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseGoMod(text, "go.mod")).toThrow(ConfigurationError);
    expect(() => parseGoMod(text, "go.mod")).toThrow(message);
  });

  it("locates the error in the named file", () => {
    try {
      parseGoMod("module m\ngo nope\n", "services/auth/go.mod");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).location).toEqual({ file: "services/auth/go.mod", line: 2 });
    }
  });
});

describe("goVersionFromGoMod", () => {
  it.each<[string, GoMod, string | undefined]>([
    ["go minor", { module: "m", go: "1.24" }, "1.24"],
    ["go patch", { module: "m", go: "1.24.1" }, "1.24"],
    ["go prerelease", { module: "m", go: "1.25rc1" }, "1.25"],
    ["toolchain wins over go", { module: "m", go: "1.23", toolchain: "go1.24.3" }, "1.24"],
    ["toolchain alone", { module: "m", toolchain: "go1.22.0" }, "1.22"],
    ["toolchain with a suffix", { module: "m", toolchain: "go1.24.3+auto" }, "1.24"],
    ["toolchain default falls back to go", { module: "m", go: "1.21.5", toolchain: "default" }, "1.21"],
    ["neither", { module: "m" }, undefined],
    ["two-digit minor", { module: "m", go: "1.100" }, "1.100"],
  ])("%s", (_, mod, expected) => {
    expect(goVersionFromGoMod(mod)).toBe(expected);
  });

  it("reads a parsed go.mod", () => {
    expect(goVersionFromGoMod(parseGoMod("module m\ngo 1.23\ntoolchain go1.24.3\n", "go.mod"))).toBe("1.24");
  });
});

describe("defaultBinaryName", () => {
  it.each<[string, string]>([
    ["example.com/go-auth", "go-auth"],
    ["github.com/acme/svc", "svc"],
    ["example.com/foo/v2", "foo"],
    ["example.com/foo/v10", "foo"],
    ["example.com/foo/v1", "v1"],
    ["example.com/foo/v0", "v0"],
    ["example.com/foo/v2beta", "v2beta"],
    ["gopkg.in/yaml.v3", "yaml.v3"],
    ["app", "app"],
    ["v2", "v2"],
  ])("%s → %s", (modulePath, expected) => {
    expect(defaultBinaryName(modulePath)).toBe(expected);
  });

  it("rejects an empty module path", () => {
    expect(() => defaultBinaryName("")).toThrow(ConfigurationError);
  });
});

describe("hasRequirements", () => {
  it.each([
    ["module x\n\ngo 1.24\n", false],
    ["module x\n// require y v1\n", false],
    ["module x\nrequire y v1.0.0\n", true],
    ["module x\nrequire (\n\ty v1.0.0\n)\n", true],
    ["module x\n  require\ty v1.0.0\n", true],
    ["module x\nrequired-by y\n", false],
  ])("%j → %s", (text, expected) => expect(hasRequirements(text)).toBe(expected));
});
