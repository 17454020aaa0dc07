import { describe, expect, it } from "vitest";
import { goCacheAllowed, goCacheKey } from "../../../src/rules/go/index.js";

const parts = {
  os: "linux",
  arch: "x64",
  builderImage: "ghcr.io/acme/go:1.24@sha256:abc",
  goVersion: "1.24",
  goMod: "module x\n",
  goSum: "",
};

describe("goCacheKey", () => {
  it("is OS, arch, image, Go version and a hash of go.mod and go.sum, with the prefix as restore key", () => {
    const { key, restoreKeys } = goCacheKey(parts);
    expect(key).toMatch(/^goflow-go-linux-x64-ghcr.io_acme_go_1.24_sha256_abc-go1.24-[0-9a-f]{64}$/);
    expect(restoreKeys).toEqual([key.slice(0, -64)]);
    expect(key).not.toContain(",");
  });

  it.each([
    ["go.sum", { goSum: "x v1.0.0 h1:abc=\n" }, "key"],
    ["go.mod", { goMod: "module y\n" }, "key"],
    ["the Go version", { goVersion: "1.25" }, "prefix"],
    ["the image", { builderImage: "golang:1.24" }, "prefix"],
    ["the runner's arch", { arch: "arm64" }, "prefix"],
  ] as const)("changes with %s (%s)", (_, change, what) => {
    const before = goCacheKey(parts);
    const after = goCacheKey({ ...parts, ...change });
    expect(after.key).not.toBe(before.key);
    if (what === "prefix") expect(after.restoreKeys).not.toEqual(before.restoreKeys);
    else expect(after.restoreKeys).toEqual(before.restoreKeys);
  });

  it("tells go.mod from go.sum: the same text split differently is another key", () => {
    const split = goCacheKey({ ...parts, goMod: "a", goSum: "b" });
    const joined = goCacheKey({ ...parts, goMod: "ab", goSum: "" });
    expect(split.key).not.toBe(joined.key);
  });
});

describe("goCacheAllowed", () => {
  it.each([
    ["refs/heads/develop", true],
    ["refs/heads/tags/x", true],
    ["refs/pull/7/merge", true],
    ["refs/tags/v1.2.0", false],
  ])("%s → %s", (ref, expected) => expect(goCacheAllowed(ref)).toBe(expected));
});
