import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chownTree, runAction } from "../harness/run-action.js";
import { dockerAvailable, leftovers } from "./support/docker.js";
import {
  buildGoAuthImage,
  buildLateService,
  GO_AUTH_MYSQL,
  goAuthWorkspace,
  LATENESS,
  type Lateness,
  lateServiceWorkspace,
} from "./support/late-services.js";
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
  const goAuthImage = `goflow-readiness-go-auth:action-${process.pid}`;
  let user: { uid: number; gid: number };
  let root: string;
  let built: { remove(): void }[];

  beforeAll(() => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-readiness-e2e-"));
    chownTree(root, user);
    built = [buildLateService(user, image), buildGoAuthImage(user, goAuthImage)];
  });

  afterAll(() => {
    for (const image of built ?? []) image.remove();
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

  it("on the example service backed by MySQL, which listens only once its database answered", async () => {
    const run = await runAction({
      action: "actions/compose-test",
      user,
      workspace: goAuthWorkspace(root, user),
      inputs: {
        "compose-file": GO_AUTH_MYSQL.composeFile,
        tests: GO_AUTH_MYSQL.tests.join("\n"),
        images: `goauth=${goAuthImage}`,
      },
    });
    const log = `${run.main.stdout}\n${run.main.stderr}`;
    expect(run.main.exitCode, log).toBe(0);
    const total = String(GO_AUTH_MYSQL.total);
    expect(run.outputs).toMatchObject({ passed: total, failed: "0", total });
    expect(log).toMatch(/\[tests\/mysql\/users\.yml\] ready after/);
    expect(log).toMatch(/^ {2}Pass: The seeded user exists/m);
    expect(run.post?.exitCode).toBe(0);
    expect(leftovers(`io.goflow.run=${run.state["compose-run-label"]}`)).toEqual([]);
  });
});
