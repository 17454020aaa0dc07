import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { buildGoBuildArgs, type GoBuildArgsOptions } from "../../../src/rules/go/index.js";

describe("buildGoBuildArgs", () => {
  it.each<[string, GoBuildArgsOptions, string[]]>([
    [
      "the minimum: trimpath on by default, package '.' when none",
      { packages: [], output: "dist/go-auth" },
      ["build", "-trimpath", "-o", "dist/go-auth", "."],
    ],
    [
      "everything",
      {
        packages: ["./cmd/server"],
        output: "dist/go-auth-linux-arm64",
        ldflags: "-s -w",
        tags: ["netgo", "osusergo"],
        trimpath: true,
        versionVariable: "main.version",
        version: "1.2.3",
      },
      [
        "build",
        "-trimpath",
        "-tags",
        "netgo,osusergo",
        "-ldflags",
        "-s -w -X main.version=1.2.3",
        "-o",
        "dist/go-auth-linux-arm64",
        "./cmd/server",
      ],
    ],
    [
      "version without user ldflags",
      {
        packages: ["."],
        output: "bin/app",
        versionVariable: "main.version",
        version: "1.2.3-rc.1+sha.0123abc",
      },
      ["build", "-trimpath", "-ldflags", "-X main.version=1.2.3-rc.1+sha.0123abc", "-o", "bin/app", "."],
    ],
    [
      "a full import path variable",
      {
        packages: ["./..."],
        output: "bin",
        versionVariable: "example.com/go-auth/internal/build.Version",
        version: "2.0.0",
      },
      [
        "build",
        "-trimpath",
        "-ldflags",
        "-X example.com/go-auth/internal/build.Version=2.0.0",
        "-o",
        "bin",
        "./...",
      ],
    ],
    [
      "a version with a space is quoted for -ldflags' own splitting",
      { packages: ["."], output: "app", versionVariable: "main.version", version: "dev build" },
      ["build", "-trimpath", "-ldflags", "-X 'main.version=dev build'", "-o", "app", "."],
    ],
    [
      "a version with a single quote uses double quotes",
      { packages: ["."], output: "app", versionVariable: "main.version", version: "it's" },
      ["build", "-trimpath", "-ldflags", '-X "main.version=it\'s"', "-o", "app", "."],
    ],
    [
      "versionVariable without version adds nothing",
      { packages: ["."], output: "app", versionVariable: "main.version" },
      ["build", "-trimpath", "-o", "app", "."],
    ],
    [
      "trimpath off, blank ldflags and empty tags dropped",
      { packages: ["."], output: "app", trimpath: false, ldflags: "   ", tags: [] },
      ["build", "-o", "app", "."],
    ],
    [
      "an output path with spaces stays one argument",
      { packages: ["./cmd/a", "./cmd/b"], output: "my dist/" },
      ["build", "-trimpath", "-o", "my dist/", "./cmd/a", "./cmd/b"],
    ],
  ])("%s", (_, options, expected) => {
    expect(buildGoBuildArgs(options)).toEqual(expected);
  });

  it.each<[string, GoBuildArgsOptions, RegExp]>([
    ["a tag with a space", { packages: ["."], output: "a", tags: ["net go"] }, /build tag 'net go'/],
    ["a comma-joined tag", { packages: ["."], output: "a", tags: ["a,b"] }, /build tag 'a,b'/],
    ["a package that is a flag", { packages: ["-toolexec=evil"], output: "a" }, /package '-toolexec=evil'/],
    ["an empty package", { packages: [""], output: "a" }, /package ''/],
    ["an empty output", { packages: ["."], output: "" }, /output path is empty/],
    [
      "a variable without a package",
      { packages: ["."], output: "a", versionVariable: "version", version: "1" },
      /version variable 'version' must be 'package\.name'/,
    ],
    [
      "a variable with a space",
      { packages: ["."], output: "a", versionVariable: "main.my version", version: "1" },
      /version variable/,
    ],
    [
      "a version with both quotes",
      { packages: ["."], output: "a", versionVariable: "main.v", version: `'"` },
      /both ' and " quotes/,
    ],
  ])("rejects %s", (_, options, message) => {
    expect(() => buildGoBuildArgs(options)).toThrow(ConfigurationError);
    expect(() => buildGoBuildArgs(options)).toThrow(message);
  });
});
