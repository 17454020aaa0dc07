import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** Every file under `root`, relative to it, with its bytes. */
function snapshot(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return files;
}

describe("scripts/build.mjs", () => {
  const scratch = mkdtempSync(join(tmpdir(), "goflow-build-test-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("gives byte-identical bundles twice, with every entry point, the vendor bundles and the licenses", () => {
    const builds = ["first", "second"].map((name) => {
      const out = join(scratch, name);
      const result = spawnSync(process.execPath, ["scripts/build.mjs", out], { encoding: "utf8" });
      expect(result.status, result.stderr).toBe(0);
      return snapshot(out);
    });
    const [first, second] = builds as [Map<string, Buffer>, Map<string, Buffer>];
    expect([...first.keys()].sort()).toEqual([...second.keys()].sort());
    for (const [file, bytes] of first)
      expect(bytes.equals(second.get(file) ?? Buffer.alloc(0)), file).toBe(true);
    expect([...first.keys()]).toEqual(
      expect.arrayContaining([
        "go-build/index.cjs",
        "go-build/post.cjs",
        "docker-package/index.cjs",
        "compose-test/index.cjs",
        "pipeline/index.cjs",
        "cli/index.cjs",
        "vendor/actions-cache.cjs",
        "vendor/actions-artifact.cjs",
        "vendor/actions-github.cjs",
        "licenses.txt",
      ]),
    );
    expect(first.get("cli/index.cjs")?.toString("utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(first.get("licenses.txt")?.toString("utf8")).toContain("@actions/core@");
    // Every step starts a node process on the runner: its bundle stays small. The HTTP client
    // (undici) that @actions/core pulls in for OIDC alone belongs only in the vendor bundles.
    for (const [file, bytes] of first) {
      if (!file.endsWith(".cjs") || file.startsWith("vendor/")) continue;
      expect(bytes.includes("undici"), `${file} bundles undici`).toBe(false);
    }
    expect(first.get("go-build/post.cjs")?.length ?? 0).toBeLessThan(100_000);
    // The CLI reads its flags through src/options, never the actions' @actions/core.
    expect(
      first.get("cli/index.cjs")?.includes("node_modules/@actions/core/"),
      "cli bundles @actions/core",
    ).toBe(false);
    expect(first.get("go-build/index.cjs")?.includes("node_modules/@actions/core/")).toBe(true);
  }, 120_000);
});
