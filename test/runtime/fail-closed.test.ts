import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEarlyEnd, ENDED_EARLY_EXIT_CODE } from "../../src/runtime/fail-closed.js";
import { bundleFixture, removeFixtureBundles } from "../harness/bundle-fixture.js";
import { nodeBinary } from "../harness/node-binary.js";

/**
 * Both front doors end with exit code 0 only once their stage returned: a
 * stage that never settles (and holds no handle, so the event loop drains) or
 * that something exits under must fail the step, on every Node they run on.
 */
const scratch = mkdtempSync(join(tmpdir(), "goflow-fail-closed-"));
let actionEntry: string;
let cliEntry: string;

beforeAll(async () => {
  actionEntry = await bundleFixture("test/fixtures/entries/action-entry.ts");
  cliEntry = await bundleFixture("test/fixtures/entries/cli-entry.ts");
});

afterAll(() => {
  removeFixtureBundles();
  rmSync(scratch, { recursive: true, force: true });
});

function run(node: string, script: string, mode: string) {
  const output = join(scratch, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, "");
  const result = spawnSync(node, [script], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, FIXTURE_MODE: mode, GITHUB_OUTPUT: output },
    timeout: 30_000,
  });
  return { ...result, outputs: readFileSync(output, "utf8"), log: `${result.stdout}${result.stderr}` };
}

describe.each(["22", "24"])("on Node %s", (major) => {
  describe.each([
    ["an action's entry (runActionEntry)", () => actionEntry],
    ["a goflow command (runCliEntry)", () => cliEntry],
  ])("%s", (_, script) => {
    it("exits 0 once the stage returned", () => {
      const result = run(nodeBinary(major), script(), "succeeds");
      expect(result.status, result.log).toBe(0);
      expect(result.log).not.toContain("ended before its stage finished");
    });

    it.each([
      ["never-settles", /the process ran out of work while the stage was still running/],
      ["exits-early", /something ended the process with exit code 0 before the stage returned/],
    ])("fails loudly when the stage %s", (mode, why) => {
      const result = run(nodeBinary(major), script(), mode);
      expect(result.status, result.log).toBe(ENDED_EARLY_EXIT_CODE);
      expect(result.log).toMatch(why);
      expect(result.log).toContain("ended before its stage finished");
      expect(result.log).toContain("This is a bug in goflow-actions");
      expect(result.outputs).not.toContain("finished");
      expect(result.stdout).not.toMatch(/^finished$/m);
    });

    it("keeps a failed stage's own exit code", () => {
      const result = run(nodeBinary(major), script(), "fails");
      expect(result.status, result.log).toBe(1);
      expect(result.log).not.toContain("ended before its stage finished");
    });
  });
});

describe("the action entry's message", () => {
  it("is a failed step on GitHub (an ::error:: command) that says what to attach", () => {
    const result = run(nodeBinary("24"), actionEntry, "never-settles");
    expect(result.stdout).toMatch(/^::error::fixture ended before its stage finished/m);
    expect(describeEarlyEnd("x", "why", "v24.1.0")).toMatch(
      /x ended before its stage finished: why\..*open an issue with this log.*Node version \(v24\.1\.0\)/,
    );
  });
});

describe("goflow on an unsupported Node", () => {
  it("says so before it does anything, and fails", () => {
    const result = run(nodeBinary("20"), cliEntry, "succeeds");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/goflow needs Node\.js 22 or newer; this is Node\.js v20\.\d+\.\d+/);
    expect(result.stdout).not.toContain("started");
  });
});
