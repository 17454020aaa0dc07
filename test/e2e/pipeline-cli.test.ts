import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliNode, cliNodeMajor } from "../harness/node-binary.js";
import { chownTree, runnerReadable, runnerReadableBinary } from "../harness/run-action.js";
import { docker, dockerAvailable, leftovers } from "./support/docker.js";
import { checkoutExample, printedRunLabels } from "./support/example-checkout.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * `goflow run` on a laptop, on the example service: build, package, the
 * example's specs against the image just built; nothing is published without
 * --push and nothing is left behind. Runs on Node 24 and again on Node 22
 * (GOFLOW_CLI_NODE, the e2e-cli-node22 project).
 */
describe.skipIf(!dockerAvailable)(`goflow run on Node ${cliNodeMajor()}`, () => {
  let user: { uid: number; gid: number };
  let root: string;
  let xdgCache: string;

  beforeAll(() => {
    user = ensureRunnerUser();
    root = mkdtempSync(join(tmpdir(), "goflow-pipeline-cli-e2e-"));
    // The CLI's user cache folder is XDG_CACHE_HOME/goflow/go.
    xdgCache = join(root, "xdg-cache");
    mkdirSync(join(xdgCache, "goflow", "go"), { recursive: true });
    // The CLI's reports go under the system temp folder: this file's own, removed with it.
    mkdirSync(join(root, "tmp"));
    chownTree(root, user);
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const checkout = (name: string, branch: string) => checkoutExample(root, name, branch, user);

  it("goflow run: builds, packages with the rules' tags, passes every spec, publishes nothing, leaves nothing", () => {
    const { dir, sha } = checkout("cli", "develop");
    const image = `goflow-e2e/go-auth-cli-${cliNodeMajor()}-${process.pid}`;
    const result = spawnSync(
      runnerReadableBinary(cliNode()),
      [runnerReadable("dist/cli/index.cjs"), "run", dir, "--image", image],
      {
        cwd: dir,
        encoding: "utf8",
        uid: user.uid,
        gid: user.gid,
        env: {
          PATH: process.env.PATH,
          HOME: root,
          XDG_CACHE_HOME: xdgCache,
          TMPDIR: join(root, "tmp"),
          NO_COLOR: "1",
        },
        timeout: 600_000,
      },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    try {
      expect(result.status, output).toBe(0);
      expect(output).toMatch(/^build\s+✓ passed/m);
      expect(output).toMatch(/^package\s+✓ passed/m);
      expect(output).toMatch(/^test\s+✓ passed .*14 of 14 passed/m);
      expect(output).toMatch(/^publish\s+- skipped\s+not asked to publish/m);
      expect(output).toContain("pipeline passed");
      const report = /^reports {3}(\S+\/junit\.xml) \(JUnit\)/m.exec(output)?.[1] ?? "";
      // In a private folder of its own under the system temp folder (issue 14: never a shared fixed path).
      expect(report.startsWith(join(root, "tmp/goflow-"))).toBe(true);
      expect(relative(join(root, "tmp"), report)).toMatch(/^goflow-[^/]+\/goflow-compose-test\//);
      expect(readFileSync(report, "utf8")).toContain('tests="14"');
      const tags = docker("image", "ls", "--format", "{{.Tag}}", image).split("\n").sort();
      expect(tags).toEqual(["develop", `sha-${sha.slice(0, 7)}`]);
      expect(
        docker(
          "image",
          "inspect",
          "--format",
          '{{index .Config.Labels "io.goflow.channel"}}',
          `${image}:develop`,
        ),
      ).toBe("develop");
      const labels = printedRunLabels(output);
      expect(labels.length).toBeGreaterThanOrEqual(2);
      for (const label of labels) expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
    } finally {
      spawnSync("docker", ["image", "rm", "--force", `${image}:develop`, `${image}:sha-${sha.slice(0, 7)}`]);
    }
  });
});
