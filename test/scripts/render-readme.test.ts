import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("README reference tables", () => {
  it("are generated from the action.yml files and the workflow, and up to date", () => {
    const result = spawnSync(process.execPath, ["scripts/render-readme.mjs", "--check"], {
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("cover every action and the reusable workflow", () => {
    const readme = readFileSync("README.md", "utf8");
    for (const file of [
      "action.yml",
      "actions/go-build/action.yml",
      "actions/docker-package/action.yml",
      "actions/compose-test/action.yml",
      ".github/workflows/pipeline.yml",
    ]) {
      expect(readme).toContain(`<!-- reference: ${file} -->`);
    }
  });
});
