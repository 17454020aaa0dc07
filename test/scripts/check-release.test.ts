import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = resolve("scripts/check-release.mjs");
const PIPELINE = ".github/workflows/pipeline.yml";

const run = (tag: string, cwd = process.cwd()) =>
  spawnSync(process.execPath, [SCRIPT, tag], { encoding: "utf8", cwd });

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The files the script reads, copied; CHANGELOG.md gains a 1.99.0 entry; pipeline.yml edited by `edit`. */
function repositoryWith(edit: (pipeline: string) => string = (pipeline) => pipeline): string {
  const dir = mkdtempSync(join(tmpdir(), "goflow-check-release-"));
  copies.push(dir);
  for (const path of ["README.md", "CHANGELOG.md", ".github/workflows", "examples/workflows", "actions"])
    cpSync(path, join(dir, path), { recursive: true });
  appendFileSync(join(dir, "CHANGELOG.md"), "\n## 1.99.0\n\n- a release\n");
  writeFileSync(join(dir, PIPELINE), edit(readFileSync(PIPELINE, "utf8")));
  return dir;
}

/** pipeline.yml with its first occurrence of `from` replaced; the edit must apply. */
const replacing = (from: string | RegExp, to: string) => (pipeline: string) => {
  const edited = pipeline.replace(from, to);
  if (edited === pipeline) throw new Error(`pipeline.yml has no ${from}`);
  return edited;
};

describe("scripts/check-release.mjs", () => {
  it("rejects a tag that is not a stable semver", () => {
    const result = run("v1.2");
    expect(result.status).toBe(2);
  });
  it("rejects a major the README and examples do not reference", () => {
    const result = run("v2.0.0");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/examples\/workflows\/develop\.yml: references @v1, expected @v2/);
  });
  it("requires a changelog entry", () => {
    const result = run("v1.99.0");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("CHANGELOG.md has no '## 1.99.0' entry");
  });

  it("the real repository has no problem but the missing changelog entry", () => {
    expect(run("v1.99.0").stderr.trim()).toBe("CHANGELOG.md has no '## 1.99.0' entry");
  });

  it("passes the real repository with a changelog entry", () => {
    const result = run("v1.99.0", repositoryWith());
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("rejects a toolkit action referenced by tag in pipeline.yml", () => {
    const dir = repositoryWith(
      replacing(
        "uses: ./.goflow-actions/actions/go-build",
        "uses: goflow-ci/goflow-actions/actions/go-build@v1",
      ),
    );
    const result = run("v1.99.0", dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "goflow-ci/goflow-actions/actions/go-build@v1 runs v1's code whatever the caller pinned; use ./.goflow-actions/actions/go-build",
    );
  });

  it("rejects a job that uses a toolkit action without checking the toolkit out", () => {
    // The build job's toolkit checkout becomes a plain step; its go-build use stays.
    const dir = repositoryWith(replacing("path: .goflow-actions", "path: elsewhere"));
    const result = run("v1.99.0", dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /jobs\.build\.steps\[\d+\]: \.\/\.goflow-actions\/actions\/go-build runs before the job checks the toolkit out/,
    );
    expect(result.stderr).not.toMatch(/jobs\.package/);
  });

  it("rejects a use of an action that does not exist", () => {
    const dir = repositoryWith(
      replacing("./.goflow-actions/actions/compose-test", "./.goflow-actions/actions/compose-tests"),
    );
    const result = run("v1.99.0", dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /jobs\.integration-test\.steps\[\d+\]: \.\/\.goflow-actions\/actions\/compose-tests is not an action of actions\//,
    );
  });

  it("rejects a toolkit checkout of a tag instead of the workflow's own commit", () => {
    const dir = repositoryWith(replacing("ref: ${{ job.workflow_sha }}", "ref: v1"));
    const result = run("v1.99.0", dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/jobs\.build\.steps\[\d+\]: .* runs before the job checks the toolkit out/);
  });

  it("rejects a toolkit checkout after the action it provides", () => {
    const dir = repositoryWith((pipeline) => {
      const jobs = pipeline.indexOf("\n  deploy-staging:");
      const start = pipeline.indexOf("      - name: the goflow actions of this workflow's commit", jobs);
      const end = pipeline.indexOf("      - id: promote", start);
      const checkout = pipeline.slice(start, end);
      const promoteEnd = pipeline.indexOf("\n\n", end);
      return `${pipeline.slice(0, start)}${pipeline.slice(end, promoteEnd)}\n${checkout.trimEnd()}${pipeline.slice(promoteEnd)}`;
    });
    const result = run("v1.99.0", dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /jobs\.deploy-staging\.steps\[0\]: \.\/\.goflow-actions\/actions\/promote runs before/,
    );
  });
});
