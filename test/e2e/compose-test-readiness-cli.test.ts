import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliNode, cliNodeMajor } from "../harness/node-binary.js";
import { chownTree, runnerReadable, runnerReadableBinary } from "../harness/run-action.js";
import { dockerAvailable, leftovers } from "./support/docker.js";
import { printedRunLabels } from "./support/example-checkout.js";
import { buildLateService, LATENESS, type Lateness, lateServiceWorkspace } from "./support/late-service.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/** `goflow test` against services that are not ready when their containers start, on Node 24 and 22. */
describe.skipIf(!dockerAvailable)(`goflow test against a late service, on Node ${cliNodeMajor()}`, () => {
  const image = `goflow-late-service:cli-${cliNodeMajor()}-${process.pid}`;
  let user: { uid: number; gid: number };
  let root: string;
  let built: { remove(): void };

  beforeAll(() => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-readiness-cli-e2e-"));
    mkdirSync(join(root, "tmp"));
    chownTree(root, user);
    built = buildLateService(user, image);
  });

  afterAll(() => {
    built?.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(Object.keys(LATENESS) as Lateness[])("when it %s", (how) => {
    const workspace = lateServiceWorkspace(root, image, how, user);
    const result = spawnSync(
      runnerReadableBinary(cliNode()),
      [runnerReadable("dist/cli/index.cjs"), "test", workspace],
      {
        encoding: "utf8",
        uid: user.uid,
        gid: user.gid,
        env: { PATH: process.env.PATH, HOME: root, TMPDIR: join(root, "tmp"), NO_COLOR: "1" },
        timeout: 300_000,
      },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(output).toMatch(/3 of 3 passed|3 passed, 0 failed/);
    expect(Number(/ready after (\d+\.\d) s/.exec(output)?.[1])).toBeGreaterThanOrEqual(4);
    const labels = printedRunLabels(output);
    expect(labels.length, output).toBeGreaterThan(0);
    for (const label of labels) expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
  });
});
