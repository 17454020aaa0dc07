import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const run = (tag: string) =>
  spawnSync(process.execPath, ["scripts/check-release.mjs", tag], { encoding: "utf8" });

describe("scripts/check-release.mjs", () => {
  it("rejects a tag that is not a stable semver", () => {
    const result = run("v1.2");
    expect(result.status).toBe(2);
  });
  it("rejects a major the workflows do not reference", () => {
    const result = run("v2.0.0");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/pipeline\.yml: references @v1, expected @v2/);
  });
  it("requires a changelog entry", () => {
    const result = run("v1.99.0");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("CHANGELOG.md has no '## 1.99.0' entry");
  });
});
