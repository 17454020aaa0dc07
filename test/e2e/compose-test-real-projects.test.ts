import { execFileSync, spawnSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliNode } from "../harness/node-binary.js";
import {
  type ActionRun,
  chownTree,
  runAction,
  runnerReadable,
  runnerReadableBinary,
} from "../harness/run-action.js";
import { docker, dockerAvailable, leftovers } from "./support/docker.js";
import { ensureRunnerUser } from "./support/runner-user.js";

/**
 * actions/compose-test on compose files as projects write them (test/fixtures/compose-projects):
 * bind-mounted data, build sections under fixed tags, one-shot jobs, container names used as host
 * names, fixed subnets, external networks. Each run goes through the harness as the runner user, and
 * each test proves nothing is left: no container, network, volume or image of the run, no temp folder,
 * and a workspace the runner user can delete.
 */
const fixtures = resolve("test/fixtures/compose-projects");
const ACTION = "actions/compose-test";
const TEST_LABEL = `io.goflow.test=compose-projects-${process.pid}`;

/** Replaces `search` in a file of a workspace copy; a fixture that no longer has it is a broken test. */
function replaceInFile(path: string, search: string, replacement: string): void {
  const text = readFileSync(path, "utf8");
  if (!text.includes(search)) throw new Error(`${path} has no ${JSON.stringify(search)}`);
  writeFileSync(path, text.replace(search, replacement));
}

describe.skipIf(!dockerAvailable)("actions/compose-test on real-world compose files", () => {
  const scratch: string[] = [];
  let user: { uid: number; gid: number };

  beforeAll(() => {
    user = ensureRunnerUser();
  });

  afterAll(() => {
    try {
      for (const id of docker("image", "ls", "-q", "--filter", `label=${TEST_LABEL}`)
        .split("\n")
        .filter(Boolean))
        docker("image", "rm", "-f", id);
      for (const id of docker("network", "ls", "-q", "--filter", `label=${TEST_LABEL}`)
        .split("\n")
        .filter(Boolean))
        docker("network", "rm", id);
    } finally {
      for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    }
  });

  /** A workspace (owned by the runner user) holding a copy of a fixture project at its root. */
  function workspace(project: string, edit?: (dir: string) => void): string {
    const root = mkdtempSync(join(tmpdir(), "goflow-compose-projects-ws-"));
    scratch.push(root);
    cpSync(join(fixtures, project), root, { recursive: true });
    edit?.(root);
    chownTree(root, user);
    return root;
  }

  function run(root: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
    return runAction({ action: ACTION, workspace: root, user, inputs });
  }

  /**
   * Nothing of the run is left: containers, networks, volumes and images with its label, its temp
   * folder, and no file in the workspace the runner user cannot delete (it deletes the workspace).
   */
  function expectNothingLeft(result: ActionRun): void {
    const label = result.state["compose-run-label"];
    expect(label, "main saved its run label").toBeTruthy();
    expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
    expect(docker("image", "ls", "-q", "--filter", `label=io.goflow.run=${label}`)).toBe("");
    expect(
      readdirSync(result.runnerTemp).filter(
        (name) => name.startsWith("goflow-compose-") && name !== "goflow-compose-test",
      ),
    ).toEqual([]);
    execFileSync("rm", ["-rf", result.workspace], { uid: user.uid, gid: user.gid });
    expect(existsSync(result.workspace), "the runner user deleted the workspace").toBe(false);
  }

  function output(result: ActionRun): string {
    return result.main.stdout + result.main.stderr + (result.post?.stdout ?? "");
  }

  it("gives two environments at once their own fresh copy of a bind-mounted data folder", async () => {
    const root = workspace("data-folder");
    const result = await run(root, { parallel: "2" });
    expect(result.main.exitCode, output(result)).toBe(0);
    expect(result.outputs).toMatchObject({ passed: "2", failed: "0" });
    expect(result.main.stdout).toContain(
      "database-data (mounted read-write by db): every environment gets its own copy",
    );
    // The original is as checked in: the containers wrote into the copies.
    expect(readdirSync(join(root, "database-data"))).toEqual(["seed.txt"]);
    expectNothingLeft(result);
  });

  it("gives each environment an empty data folder when the project has none yet", async () => {
    const root = workspace("data-folder", (dir) => {
      rmSync(join(dir, "database-data"), { recursive: true });
      replaceInFile(join(dir, "www/cgi-bin/state"), " seed=$(cat /var/lib/db/seed.txt)", "");
      for (const spec of ["first", "second"]) {
        replaceInFile(join(dir, "tests", `${spec}.yml`), " seed=checked in", "");
      }
    });
    const result = await run(root, { parallel: "2" });
    expect(result.main.exitCode, output(result)).toBe(0);
    expect(result.main.stdout).toContain("every environment gets an empty folder of its own");
    expect(existsSync(join(root, "database-data")), "nothing was created in the workspace").toBe(false);
    expectNothingLeft(result);
  });

  it("rejects a missing bind source before any container starts, naming the file and the service", async () => {
    const root = workspace("data-folder", (dir) => {
      replaceInFile(
        join(dir, "docker-compose.yml"),
        "      - ./www:/www:ro\n",
        "      - ./www:/www:ro\n      - ./config.json:/etc/db/config.json\n",
      );
    });
    const result = await run(root);
    expect(result.main.exitCode).toBe(1);
    expect(result.main.stdout).toContain(
      "service 'db' bind-mounts config.json (to /etc/db/config.json), which does not exist",
    );
    expect(result.main.stdout).not.toContain("starting environment");
    expect(result.state["compose-run-label"]).toBeUndefined();
    expect(existsSync(join(root, "config.json")), "the engine created nothing").toBe(false);
  });

  it("builds a fixed-tag build: service per environment, in two workspaces at once, and removes the builds", async () => {
    const tag = `goflow-e2e-fixed-tag-${process.pid}:latest`;
    // A stale image under the fixed tag: what compose would run without building.
    const stale = mkdtempSync(join(tmpdir(), "goflow-compose-projects-stale-"));
    scratch.push(stale);
    writeFileSync(join(stale, "Dockerfile"), 'FROM golang:1.24\nCMD ["false"]\n');
    docker("build", "--quiet", "--label", TEST_LABEL, "-t", tag, stale);
    const staleId = docker("image", "inspect", "--format", "{{.Id}}", tag);

    const variant = (name: string) =>
      workspace("build-tag", (dir) => {
        mkdirSync(join(dir, "app/www"), { recursive: true });
        writeFileSync(join(dir, "app/www/index.html"), `built in workspace ${name}\n`);
        mkdirSync(join(dir, "tests"), { recursive: true });
        writeFileSync(
          join(dir, "tests/build.yml"),
          [
            "target: app:8080",
            "tests:",
            "  - name: The environment runs its own build",
            "    request: GET /index.html",
            "    expect:",
            `      body: "built in workspace ${name}\\n"`,
            "",
          ].join("\n"),
        );
      });
    const [a, b] = await Promise.all(
      [variant("A"), variant("B")].map((root) => run(root, { env: `FIXED_TAG=${tag}` })),
    );
    for (const result of [a, b]) {
      if (result === undefined) throw new Error("no result");
      expect(result.main.exitCode, output(result)).toBe(0);
      expect(result.outputs).toMatchObject({ passed: "1", failed: "0" });
      expect(result.main.stdout).toMatch(/::group::\[tests\/build\.yml\] build app/);
      expect(result.main.stdout).toMatch(/\[tests\/build\.yml\] built app in /);
      const project = /starting environment (\S+)/.exec(result.main.stdout)?.[1] ?? "";
      expect(project).not.toBe("");
      const images = docker("image", "ls", "--format", "{{.Repository}}").split("\n");
      expect(images.filter((name) => name.startsWith(project))).toEqual([]);
      expectNothingLeft(result);
    }
    expect(docker("image", "inspect", "--format", "{{.Id}}", tag), "the fixed tag is not touched").toBe(
      staleId,
    );
  });

  it("counts a seed job that exits 0 as done, beside a healthchecked service nobody waits for", async () => {
    const result = await run(workspace("one-shot"));
    expect(result.main.exitCode, output(result)).toBe(0);
    expect(result.outputs).toMatchObject({ passed: "1", failed: "0" });
    expectNothingLeft(result);
  });

  it("fails the environment with the job's logs when a one-shot job exits non-zero", async () => {
    const result = await run(workspace("one-shot"), { env: "SEED_EXIT=3" });
    expect(result.main.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "0", failed: "1" });
    expect(result.main.stdout).toMatch(/docker compose up failed \(exit code 1\): .*seed/);
    expect(result.main.stdout).toMatch(/not ready: seed: \S+-seed-1 exited \(exit code 3\)/);
    expect(result.main.stdout).toMatch(/seed-1 +\| seeding/);
    expectNothingLeft(result);
  });

  it("keeps a removed container_name as a network alias, inside each environment", async () => {
    const result = await run(workspace("container-name"), { parallel: "2" });
    expect(result.main.exitCode, output(result)).toBe(0);
    expect(result.outputs).toMatchObject({ passed: "2", failed: "0" });
    expectNothingLeft(result);
  });

  it("moves a fixed subnet and ipv4_address to a free subnet for each of two runs at once", async () => {
    const [a, b] = await Promise.all([run(workspace("fixed-subnet")), run(workspace("fixed-subnet"))]);
    const subnets: string[] = [];
    for (const result of [a, b]) {
      if (result === undefined) throw new Error("no result");
      expect(result.main.exitCode, output(result)).toBe(0);
      expect(result.outputs).toMatchObject({ passed: "1", failed: "0" });
      const moved = /network 'back': subnet 172\.28\.0\.0\/16 → (\S+)/.exec(result.main.stdout)?.[1];
      expect(moved).toMatch(/^\d+\.\d+\.0\.0\/16$/);
      subnets.push(moved ?? "");
      expect(result.main.stdout).toMatch(/api: ipv4_address 172\.28\.5\.10 → \d+\.\d+\.5\.10 on back/);
      expectNothingLeft(result);
    }
    expect(subnets[0]).not.toBe(subnets[1]);
  });

  it("goflow test writes into a private temp folder, also when another user made the shared one first", async () => {
    const root = workspace("one-shot");
    const tmp = mkdtempSync(join(tmpdir(), "goflow-compose-projects-tmp-"));
    scratch.push(tmp);
    chmodSync(tmp, 0o1777);
    // What an earlier run by another user (here root) leaves: a folder the runner user may not enter.
    mkdirSync(join(tmp, "goflow-compose-test"), { mode: 0o700 });
    const cli = spawnSync(
      runnerReadableBinary(cliNode()),
      [runnerReadable("dist/cli/index.cjs"), "test", root],
      {
        cwd: root,
        encoding: "utf8",
        uid: user.uid,
        gid: user.gid,
        env: { PATH: process.env.PATH, HOME: root, TMPDIR: tmp, NO_COLOR: "1" },
        timeout: 600_000,
      },
    );
    const text = `${cli.stdout}\n${cli.stderr}`;
    expect(cli.status, text).toBe(0);
    const report = /JUnit report: (\S+)/.exec(text)?.[1] ?? "";
    expect(report.startsWith(`${tmp}/goflow-`), report).toBe(true);
    expect(report.startsWith(join(tmp, "goflow-compose-test"))).toBe(false);
    expect(statSync(report.slice(0, report.indexOf("/", tmp.length + 1))).mode & 0o777).toBe(0o700);
    expect(readFileSync(report, "utf8")).toContain('tests="1" failures="0"');
    const label = /run label io\.goflow\.run=(\S+)/.exec(text)?.[1] ?? "";
    expect(label).not.toBe("");
    expect(leftovers(`io.goflow.run=${label}`)).toEqual([]);
  });

  it("fills templates in expect values, and rejects an unset one at its line before anything starts", async () => {
    const templated = (dir: string) =>
      writeFileSync(
        join(dir, "tests/seeded.yml"),
        [
          "target: web:8080",
          "tests:",
          "  - name: Read the seed",
          "    request: GET /cgi-bin/seed",
          "    capture: { seed: body }",
          "  - name: The same seed again, as captured and as configured",
          "    request: GET /cgi-bin/seed",
          "    expect:",
          '      body: { equals: "${{ seed }}", contains: "${{ env.SEED_WORD }}" }',
          "",
        ].join("\n"),
      );
    const passing = await run(workspace("one-shot", templated), { env: "SEED_WORD=seeded" });
    expect(passing.main.exitCode, output(passing)).toBe(0);
    expect(passing.outputs).toMatchObject({ passed: "2", failed: "0" });
    expectNothingLeft(passing);

    const unset = await run(workspace("one-shot", templated));
    expect(unset.main.exitCode).toBe(1);
    const error = unset.annotations.find((a) => a.command === "error" && a.properties.file);
    expect(error?.properties).toMatchObject({ file: "tests/seeded.yml", line: "9" });
    expect(error?.message).toContain("${{ env.SEED_WORD }} is not set");
    expect(unset.main.stdout).not.toContain("starting environment");
    expect(unset.state["compose-run-label"]).toBeUndefined();
  });

  it("names the profile of a target in a disabled profile, and runs it with COMPOSE_PROFILES", async () => {
    const inProfile = (dir: string) => {
      replaceInFile(
        join(dir, "docker-compose.yml"),
        "    container_name: es\n",
        "    container_name: es\n    profiles: [search]\n",
      );
      rmSync(join(dir, "tests/second.yml"));
      writeFileSync(
        join(dir, "tests/first.yml"),
        "target: search:9200\ntests:\n  - name: Search answers\n    request: GET /index.html\n",
      );
    };
    const disabled = await run(workspace("container-name", inProfile));
    expect(disabled.main.exitCode).toBe(1);
    const error = disabled.annotations.find((a) => a.command === "error" && a.properties.file);
    expect(error?.properties).toMatchObject({ file: "tests/first.yml", line: "1" });
    expect(error?.message).toContain(
      "compose service 'search' in target 'search:9200' is in the profile search, which is not enabled; enable it with COMPOSE_PROFILES=search in the env input (or the step's environment)",
    );
    expect(disabled.main.stdout).not.toContain("starting environment");

    const enabled = await run(workspace("container-name", inProfile), { env: "COMPOSE_PROFILES=search" });
    expect(enabled.main.exitCode, output(enabled)).toBe(0);
    expectNothingLeft(enabled);
  });

  it("warns about an external network in the summary, and refuses it with external-networks: error", async () => {
    const name = `goflow-e2e-shared-${process.pid}`;
    docker("network", "create", "--label", TEST_LABEL, name);
    const external = (dir: string) => {
      const compose = join(dir, "docker-compose.yml");
      replaceInFile(
        compose,
        '    ports: ["8080"]\n',
        '    ports: ["8080"]\n    networks: [default, shared]\n',
      );
      appendFileSync(compose, `networks:\n  shared:\n    external: true\n    name: ${name}\n`);
      rmSync(join(dir, "tests/second.yml"));
    };
    const warned = await run(workspace("container-name", external));
    expect(warned.main.exitCode, output(warned)).toBe(0);
    const warning = `network 'shared' is external (${name}), joined by app: every run on this host shares it`;
    expect(warned.annotations.some((a) => a.command === "warning" && a.message.includes(warning))).toBe(true);
    expect(warned.summary).toContain(`> ⚠️ ${warning}`);
    expectNothingLeft(warned);
    expect(docker("network", "inspect", "--format", "{{.Name}}", name), "the external network stays").toBe(
      name,
    );

    const refused = await run(workspace("container-name", external), { "external-networks": "error" });
    expect(refused.main.exitCode).toBe(1);
    expect(output(refused)).toContain(
      `${warning}, so services of two runs can reach each other by name there. external-networks is error`,
    );
    expect(refused.main.stdout).not.toContain("starting environment");
    expect(refused.state["compose-run-label"]).toBeUndefined();
  });
});
