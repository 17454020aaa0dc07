import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { checkCallerPermissions, checkWorkflowPolicy, type Workflow } from "./policy.js";

/**
 * Our own rules for the workflows we ship and show, over the parsed YAML:
 * what actionlint does not check but a platform team reviewing the toolkit would.
 */
const files = [".github/workflows", "examples/workflows"].flatMap((dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name) => join(dir, name))
    : [],
);

describe("workflow policy", () => {
  it("covers the reusable pipeline and the examples", () => {
    expect(files).toEqual(
      expect.arrayContaining([".github/workflows/pipeline.yml", "examples/workflows/develop.yml"]),
    );
  });

  it.each(files)("%s follows the security rules", (file) => {
    const workflow = parseYaml(readFileSync(file, "utf8")) as Workflow;
    expect(checkWorkflowPolicy(workflow)).toEqual([]);
  });
});

describe("checkWorkflowPolicy catches", () => {
  const job = { "runs-on": "ubuntu-latest", permissions: {}, "timeout-minutes": 5, steps: [{ run: "true" }] };
  it.each<[string, Workflow, RegExp]>([
    ["pull_request_target", { on: { pull_request_target: {} }, jobs: { a: job } }, /pull_request_target/],
    [
      "an untrusted expression in run:",
      { on: "push", jobs: { a: { ...job, steps: [{ run: "echo ${{ github.head_ref }}" }] } } },
      /untrusted.*github\.head_ref/,
    ],
    [
      "a PR title in run:",
      {
        on: "push",
        jobs: { a: { ...job, steps: [{ run: "echo ${{ github.event.pull_request.title }}" }] } },
      },
      /untrusted/,
    ],
    [
      "an input in run:",
      { on: "push", jobs: { a: { ...job, steps: [{ run: "echo ${{ inputs.image }}" }] } } },
      /untrusted.*inputs\.image/,
    ],
    [
      "a job without permissions",
      { on: "push", jobs: { a: { ...job, permissions: undefined } } },
      /permissions/,
    ],
    [
      "a job without timeout",
      { on: "push", jobs: { a: { ...job, "timeout-minutes": undefined } } },
      /timeout-minutes/,
    ],
    [
      "a third-party action on a tag",
      { on: "push", jobs: { a: { ...job, steps: [{ uses: "actions/checkout@v4" }] } } },
      /pinned/,
    ],
    [
      "secrets: inherit",
      { on: "push", jobs: { a: { uses: "o/r/.github/workflows/x.yml@v1", secrets: "inherit" } } },
      /inherit/,
    ],
  ])("%s", (_name, workflow, message) => {
    expect(checkWorkflowPolicy(workflow).join("\n")).toMatch(message);
  });

  it("accepts the toolkit's own actions on its major tag and SHA-pinned third-party actions", () => {
    const workflow: Workflow = {
      on: "push",
      jobs: {
        a: {
          ...job,
          steps: [
            { uses: "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1" },
            { uses: "goflow-ci/goflow-actions/actions/go-build@v1" },
            { uses: "./actions/go-build" },
            { run: 'echo "$TITLE"', env: { TITLE: "${{ github.event.pull_request.title }}" } },
          ],
        },
      },
    };
    expect(checkWorkflowPolicy(workflow)).toEqual([]);
  });
});

describe("callers of the reusable pipeline", () => {
  const pipelinePath = "/.github/workflows/pipeline.yml@";
  const pipeline = parseYaml(readFileSync(".github/workflows/pipeline.yml", "utf8")) as Workflow;
  const callers = files.filter((file) => readFileSync(file, "utf8").includes(pipelinePath));

  it("include every example", () => {
    expect(callers.length).toBeGreaterThanOrEqual(4);
  });

  it.each(callers)("%s grants every permission a job of pipeline.yml asks for", (file) => {
    const caller = parseYaml(readFileSync(file, "utf8")) as Workflow;
    expect(checkCallerPermissions(caller, pipelinePath, pipeline)).toEqual([]);
  });

  it("a pull-request-only caller granting contents: read alone is caught", () => {
    const caller: Workflow = {
      on: "pull_request",
      jobs: { p: { uses: `goflow-ci/goflow-actions${pipelinePath}v1`, permissions: { contents: "read" } } },
    };
    expect(checkCallerPermissions(caller, pipelinePath, pipeline).join("\n")).toMatch(
      /packages: none, but .*publish asks for packages: write/,
    );
  });
});
