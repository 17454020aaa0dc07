import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  binaryOutputName,
  formatPlatform,
  type Platform,
  parsePlatform,
  platformBuildEnv,
} from "../../../src/rules/go/index.js";

describe("parsePlatform", () => {
  it.each<[string, Platform]>([
    ["linux/amd64", { os: "linux", arch: "amd64" }],
    ["linux/arm64", { os: "linux", arch: "arm64" }],
    ["linux/arm/v7", { os: "linux", arch: "arm", variant: "v7" }],
    ["windows/386", { os: "windows", arch: "386" }],
    ["  darwin/arm64  ", { os: "darwin", arch: "arm64" }],
    ["linux/ppc64le", { os: "linux", arch: "ppc64le" }],
  ])("%s", (text, expected) => {
    expect(parsePlatform(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ["linux", "platforms entry 'linux' must be os/arch, e.g. linux/amd64"],
    ["", "platforms entry '' must be os/arch"],
    ["linux/", "platforms entry 'linux/' must be os/arch"],
    ["/amd64", "platforms entry '/amd64' must be os/arch"],
    ["linux/arm/v7/x", "platforms entry 'linux/arm/v7/x' must be os/arch"],
    ["Linux/AMD64", "platforms entry 'Linux/AMD64' must be os/arch"],
    ["linux amd64", "platforms entry 'linux amd64' must be os/arch"],
    ["linux/amd64,linux/arm64", "must be os/arch"],
  ])("rejects '%s'", (text, message) => {
    expect(() => parsePlatform(text)).toThrow(ConfigurationError);
    expect(() => parsePlatform(text)).toThrow(message);
  });

  it.each(["linux/amd64", "linux/arm/v7"])("formats %s back", (text) => {
    expect(formatPlatform(parsePlatform(text))).toBe(text);
  });
});

describe("platformBuildEnv", () => {
  it.each<[string, Record<string, string>]>([
    ["linux/amd64", { GOOS: "linux", GOARCH: "amd64" }],
    ["linux/arm/v7", { GOOS: "linux", GOARCH: "arm", GOARM: "7" }],
    ["linux/arm/v6", { GOOS: "linux", GOARCH: "arm", GOARM: "6" }],
    ["linux/amd64/v3", { GOOS: "linux", GOARCH: "amd64", GOAMD64: "v3" }],
    ["linux/arm64/v8", { GOOS: "linux", GOARCH: "arm64", GOARM64: "v8" }],
    ["linux/riscv64/rva22u64", { GOOS: "linux", GOARCH: "riscv64" }],
  ])("%s", (text, expected) => {
    expect(platformBuildEnv(parsePlatform(text))).toEqual(expected);
  });
});

describe("binaryOutputName", () => {
  it.each<[string, string, boolean, string]>([
    ["go-auth", "linux/amd64", false, "go-auth"],
    ["go-auth", "linux/arm64", true, "go-auth-linux-arm64"],
    ["go-auth", "linux/arm/v7", true, "go-auth-linux-arm-v7"],
    ["go-auth", "linux/arm/v7", false, "go-auth"],
    ["go-auth", "windows/amd64", false, "go-auth.exe"],
    ["go-auth", "windows/arm64", true, "go-auth-windows-arm64.exe"],
  ])("%s for %s (multiple: %s) → %s", (base, platform, multiple, expected) => {
    expect(binaryOutputName(base, parsePlatform(platform), multiple)).toBe(expected);
  });
});
