import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliNode, cliNodeMajor } from "../harness/node-binary.js";
import { chownTree, runnerReadable, runnerReadableBinary } from "../harness/run-action.js";
import { dockerAvailable, leftovers } from "./support/docker.js";
import { printedRunLabels } from "./support/example-checkout.js";
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

/** `goflow test` against services that are not ready when their containers start, on Node 24 and 22. */
describe.skipIf(!dockerAvailable)(`goflow test against a late service, on Node ${cliNodeMajor()}`, () => {
  const image = `goflow-late-service:cli-${cliNodeMajor()}-${process.pid}`;
  const goAuthImage = `goflow-readiness-go-auth:cli-${cliNodeMajor()}-${process.pid}`;
  let user: { uid: number; gid: number };
  let root: string;
  let built: { remove(): void }[];

  beforeAll(() => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-readiness-cli-e2e-"));
    mkdirSync(join(root, "tmp"));
    chownTree(root, user);
    built = [buildLateService(user, image), buildGoAuthImage(user, goAuthImage)];
  });

  afterAll(() => {
    for (const image of built ?? []) image.remove();
    rmSync(root, { recursive: true, force: true });
  });

  /** `goflow test <workspace> ...args` as the runner user; its output, and nothing left behind. */
  function goflowTest(workspace: string, args: string[] = []): string {
    const result = spawnSync(
      runnerReadableBinary(cliNode()),
      [runnerReadable("dist/cli/index.cjs"), "test", workspace, ...args],
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
    const labels = printedRunLabels(output);
    expect(labels.length, output).toBeGreaterThan(0);
    for (const label of labels) expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
    return output;
  }

  it.each(Object.keys(LATENESS) as Lateness[])("when it %s", (how) => {
    const output = goflowTest(lateServiceWorkspace(root, image, how, user));
    expect(output).toMatch(/\/tests\/late\.yml: 3 passed, 0 failed/m);
    expect(Number(/ready after (\d+\.\d) s/.exec(output)?.[1])).toBeGreaterThanOrEqual(4);
  });

  it("on the example service backed by MySQL, which listens only once its database answered", () => {
    const output = goflowTest(goAuthWorkspace(root, user), [
      "--compose-file",
      GO_AUTH_MYSQL.composeFile,
      ...GO_AUTH_MYSQL.tests.flatMap((glob) => ["--tests", glob]),
      "--image",
      `goauth=${goAuthImage}`,
    ]);
    expect(output).toMatch(/\/tests\/tokens\.yml: 7 passed, 0 failed/m);
    expect(output).toMatch(/\/tests\/mysql\/users\.yml: 7 passed, 0 failed/m);
    expect(output).toMatch(/tests\/mysql\/users\.yml\] ready after/);
  });
});
