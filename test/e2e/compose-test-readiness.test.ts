import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chownTree, runAction } from "../harness/run-action.js";
import { dockerAvailable, leftovers } from "./support/docker.js";
import { buildLateService, LATENESS, type Lateness, lateServiceWorkspace } from "./support/late-service.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * actions/compose-test, on the Node its action.yml declares, against services
 * that are not ready when their containers start: readiness polls through
 * closed and reset connections until the service answers, then every test
 * runs. (This is where a run on Node 20 used to end green with no test run.)
 * goflow test does the same in compose-test-readiness-cli.test.ts.
 */
describe.skipIf(!dockerAvailable)("actions/compose-test against a late service", () => {
  const image = `goflow-late-service:action-${process.pid}`;
  let user: { uid: number; gid: number };
  let root: string;
  let built: { remove(): void };

  beforeAll(() => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-readiness-e2e-"));
    chownTree(root, user);
    built = buildLateService(user, image);
  });

  afterAll(() => {
    built?.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(Object.keys(LATENESS) as Lateness[])("when it %s", async (how) => {
    const run = await runAction({
      action: "actions/compose-test",
      user,
      workspace: lateServiceWorkspace(root, image, how, user),
    });
    const log = `${run.main.stdout}\n${run.main.stderr}`;
    expect(run.main.exitCode, log).toBe(0);
    expect(run.outputs).toMatchObject({ passed: "3", failed: "0", total: "3" });
    expect(log).toMatch(/\[tests\/late\.yml\] ready after (\d+\.\d) s/);
    // It was really late: readiness took the service's own start, not a lucky first poll.
    expect(Number(/ready after (\d+\.\d) s/.exec(log)?.[1])).toBeGreaterThanOrEqual(4);
    expect(log).toMatch(/^ {2}Pass: Hello again, pasted from a script/m);
    expect(run.post?.exitCode).toBe(0);
    expect(leftovers(`io.goflow.run=${run.state["compose-run-label"]}`)).toEqual([]);
  });
});
