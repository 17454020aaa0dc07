import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pinnedNodeVersions } from "../../scripts/node-binaries.mjs";
import { runAction, type StepRun, shouldRunPost } from "./run-action.js";
import { parseKeyValueFile, parseWorkflowCommands } from "./workflow-commands.js";

const diagnostic = "test/fixtures/actions/diagnostic";

describe("runAction with the diagnostic action", () => {
  it("passes inputs in, reads outputs, state, summary and commands back", async () => {
    const run = await runAction({
      action: diagnostic,
      inputs: { greeting: "hi", "secret value": "s3cr3t" },
      event: { name: "push", payload: "push-develop" },
    });
    expect(run.main.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      message: "hi from push",
      multiline: "first line\nsecond line",
      plain: "value=with=equals",
    });
    expect(run.state).toEqual({ saved: "repo acme/go-auth" });
    expect(run.post?.stdout).toContain("post saw state: repo acme/go-auth");
    expect(run.summary).toBe("| a | b |\n| - | - |\n| 1 | 2 |\npost ran\n");
    expect(run.main.commands.map((c) => c.command)).toEqual(["add-mask", "group", "endgroup", "warning"]);
    expect(run.main.commands[0]?.message).toBe("s3cr3t");
    expect(run.annotations).toEqual([
      {
        command: "warning",
        properties: { file: "src/main.go", line: "3", col: "5" },
        message: "a warning, with a comma\nand a newline",
      },
    ]);
  });

  it("fills declared defaults and derives ref variables", async () => {
    const run = await runAction({ action: diagnostic, env: { GITHUB_REF: "refs/tags/v1.2.3" } });
    expect(run.outputs.message).toBe("hello from push");
    expect(run.main.stdout).toContain("ref=refs/tags/v1.2.3");
  });

  it("runs post after a failing main, with the state main saved", async () => {
    const run = await runAction({ action: diagnostic, inputs: { fail: "true" } });
    expect(run.main.exitCode).toBe(1);
    expect(run.annotations.map((a) => [a.command, a.properties.file, a.properties.line])).toContainEqual([
      "error",
      "main_test.go",
      "42",
    ]);
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain("post saw state: repo acme/go-auth");
  });

  it("runs main and post on the Node the action.yml declares, not on the test's own node", async () => {
    const run = await runAction({ action: diagnostic });
    const node24 = `node=v${pinnedNodeVersions()["24"]}`;
    expect(run.main.stdout).toContain(node24);
    expect(run.post?.stdout).toContain(node24);
  });

  it("refuses a runtime it has no pinned binary for, instead of falling back", async () => {
    const action = mkdtempSync(join(tmpdir(), "goflow-harness-node18-"));
    try {
      cpSync(diagnostic, action, { recursive: true });
      writeFileSync(
        join(action, "action.yml"),
        "name: old\ndescription: d\nruns:\n  using: node18\n  main: main.cjs\n",
      );
      await expect(runAction({ action })).rejects.toThrow(/pins no Node 18/);
    } finally {
      rmSync(action, { recursive: true, force: true });
    }
  });

  it("rejects inputs the action does not declare", async () => {
    await expect(runAction({ action: diagnostic, inputs: { greting: "typo" } })).rejects.toThrow(
      /not declared/,
    );
  });
});

describe("shouldRunPost", () => {
  const step = (exitCode: number, signal: NodeJS.Signals | null = null): StepRun => ({
    exitCode,
    signal,
    stdout: "",
    stderr: "",
    commands: [],
  });
  it.each([
    ["always()", step(1), true],
    ["success()", step(0), true],
    ["success()", step(1), false],
    ["failure()", step(1), true],
    ["${{ !cancelled() }}", step(1, "SIGTERM"), false],
    ["!cancelled()", step(0), true],
  ])("%s", (condition, main, expected) => {
    expect(shouldRunPost(condition, main)).toBe(expected);
  });
});

describe("runner file formats", () => {
  it("parses heredocs and plain lines", () => {
    expect(parseKeyValueFile("a=1\nb<<EOF\nx\ny\nEOF\nc=\n")).toEqual({ a: "1", b: "x\ny", c: "" });
  });
  it("rejects an unterminated heredoc", () => {
    expect(() => parseKeyValueFile("b<<EOF\nx\n")).toThrow(/unterminated/);
  });
  it("parses workflow commands with escaped properties", () => {
    expect(parseWorkflowCommands("x\n::error file=a%2Cb.go,line=1,title=t%3Ax::m%25%0An\n")).toEqual([
      { command: "error", properties: { file: "a,b.go", line: "1", title: "t:x" }, message: "m%\nn" },
    ]);
  });
});
