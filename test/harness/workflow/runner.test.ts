import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandMatrix } from "./matrix.js";
import { type JobResult, runWorkflow, type WorkflowRun } from "./runner.js";

/**
 * The local runner itself, on a caller repository of run: steps and the
 * harness's diagnostic action (no Docker): what it must do as GitHub does
 * before the pipeline scenarios can be trusted.
 */
const REPO = resolve("test/fixtures/workflows/runner-repo");

describe("expandMatrix", () => {
  it.each([
    { matrix: { n: [1, 2] }, legs: [{ n: 1 }, { n: 2 }] },
    {
      matrix: { os: ["a", "b"], go: [1, 2] },
      legs: [
        { os: "a", go: 1 },
        { os: "a", go: 2 },
        { os: "b", go: 1 },
        { os: "b", go: 2 },
      ],
    },
    {
      matrix: { os: ["a", "b"], go: [1, 2], exclude: [{ os: "b", go: 1 }] },
      legs: [
        { os: "a", go: 1 },
        { os: "a", go: 2 },
        { os: "b", go: 2 },
      ],
    },
    { matrix: { n: [1, 2], include: [{ n: 2, extra: true }] }, legs: [{ n: 1 }, { n: 2, extra: true }] },
    { matrix: { n: [1], include: [{ n: 3 }] }, legs: [{ n: 1 }, { n: 3 }] },
    { matrix: { include: [{ folder: "a" }, { folder: "b" }] }, legs: [{ folder: "a" }, { folder: "b" }] },
    {
      matrix: { service: [{ folder: "services/auth" }, { folder: "services/billing" }] },
      legs: [{ service: { folder: "services/auth" } }, { service: { folder: "services/billing" } }],
    },
  ])("$matrix", ({ matrix, legs }) => {
    expect(expandMatrix(matrix)).toEqual(legs);
  });

  it.each([[{ n: 1 }], [{ n: [], include: [] }], ["a"]])("refuses %j", (matrix) => {
    expect(() => expandMatrix(matrix)).toThrow(/strategy\.matrix/);
  });
});

describe("runWorkflow", () => {
  let run: WorkflowRun;
  let root: string;
  const secret = `the-passed-secret`;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "goflow-runner-test-"));
    run = await runWorkflow({
      caller: join(REPO, ".github/workflows/basics.yml"),
      event: "push",
      ref: "refs/heads/develop",
      repo: REPO,
      runnerRoot: root,
      secrets: { PASSED: secret, NOT_PASSED: "never-seen" },
    });
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A caller workflow written into this test's folder, one YAML line per entry. */
  const writeCaller = (name: string, lines: string[]): string => {
    const file = join(root, name);
    writeFileSync(file, `${lines.join("\n")}\n`);
    return file;
  };

  const job = (id: string): JobResult[] => run.jobs.filter((j) => j.id === id);
  const explain = () =>
    run.jobs
      .flatMap((j) =>
        j.steps.filter((s) => s.conclusion === "failure").map((s) => `${j.id}/${s.name}: ${s.log}`),
      )
      .join("\n");

  it("runs jobs in needs order with outputs, GITHUB_ENV, GITHUB_PATH, env and working-directory", () => {
    const [first] = job("first");
    expect(first?.result, explain()).toBe("success");
    expect(first?.outputs).toEqual({ list: "[1,2]" });
    expect(first?.permissions).toEqual({ contents: "read" });
    expect(run.jobs.findIndex((j) => j.id === "first")).toBe(0);
  });

  it("runs a node action on its declared Node, then its post step with the saved state", () => {
    const [first] = job("first");
    const steps = first?.steps ?? [];
    const main = steps.find((s) => s.id === "diag" && !s.post);
    const post = steps.find((s) => s.id === "diag" && s.post);
    expect(main?.outputs.message).toBe("hi from push");
    expect(main?.log).toMatch(/node=v24\./);
    expect(main?.annotations.map((a) => a.command)).toEqual(["warning"]);
    expect(post?.conclusion).toBe("success");
    expect(post?.log).toContain("post saw state: repo acme/go-auth");
    expect(steps.at(-1)).toBe(post);
    expect(first?.summary).toContain("post ran");
  });

  it("expands a matrix from a needs output, each leg on a fresh workspace", () => {
    const legs = job("legs");
    expect(legs.map((leg) => [leg.matrix, leg.result])).toEqual([
      [{ n: 1 }, "success"],
      [{ n: 2 }, "success"],
    ]);
  });

  it("fails a job at its failing step, runs only if: always() after it, and follows status functions", () => {
    const [failing] = job("failing");
    expect(failing?.result).toBe("failure");
    expect(failing?.steps.map((s) => s.conclusion)).toEqual(["failure", "success", "skipped"]);
    expect(job("after-failure")[0]?.result).toBe("skipped");
    expect(job("on-failure")[0]?.result).toBe("success");
    expect(run.conclusion).toBe("failure");
  });

  it("enforces timeout-minutes", () => {
    const [slow] = job("slow");
    expect(slow?.result).toBe("failure");
    expect(slow?.durationMs).toBeLessThan(20_000);
    expect(slow?.steps[0]?.log).toMatch(/time limit/);
  });

  it("passes a called workflow only the secrets its caller passes, its inputs with defaults, and its outputs back", () => {
    const [inner] = job("call/inner");
    expect(inner?.result, explain()).toBe("success");
    expect(run.outputs.call).toEqual({ said: "hello x2 in .github/workflows/called.yml" });
    expect(run.concurrency.call).toEqual({
      group: "called-refs/heads/develop-hello",
      "cancel-in-progress": false,
    });
    expect(inner?.permissions).toEqual({ contents: "read" });
  });

  it("refuses a reusable workflow it cannot find, before any job runs", async () => {
    const caller = join(root, "unknown.yml");
    writeFileSync(caller, "on: push\njobs:\n  x:\n    uses: someone/else/.github/workflows/x.yml@v1\n");
    await expect(runWorkflow({ caller, event: "push", ref: "develop", repo: REPO })).rejects.toThrow(
      /Unable to find reusable workflow/,
    );
  });

  it("runs post steps in reverse order, and fail-fast cancels a matrix's remaining legs", async () => {
    const caller = writeCaller("order.yml", [
      "on: push",
      "jobs:",
      "  posts:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - id: one",
      "        uses: goflow-ci/goflow-actions/test/fixtures/actions/diagnostic@v1",
      "      - id: two",
      "        uses: goflow-ci/goflow-actions/test/fixtures/actions/diagnostic@v1",
      "  fast:",
      "    runs-on: ubuntu-latest",
      "    strategy:",
      "      matrix: { n: [1, 2] }",
      "    steps:",
      "      - run: test ${{ matrix.n }} = 2",
      "  patient:",
      "    runs-on: ubuntu-latest",
      "    strategy:",
      "      fail-fast: false",
      "      matrix: { n: [1, 2] }",
      "    steps:",
      "      - run: test ${{ matrix.n }} = 2",
    ]);
    const ordered = await runWorkflow({ caller, event: "push", ref: "develop", repo: REPO });
    const posts = ordered.jobs[0]?.steps.filter((s) => s.post).map((s) => s.id);
    expect(posts).toEqual(["two", "one"]);
    const legs = (id: string) => ordered.jobs.filter((j) => j.id === id).map((j) => j.result);
    expect(legs("fast")).toEqual(["failure", "cancelled"]);
    expect(legs("patient")).toEqual(["failure", "success"]);
  }, 60_000);

  it("gives workflow_dispatch its inputs, typed by the workflow's definitions", async () => {
    const caller = writeCaller("dispatch.yml", [
      "on:",
      "  workflow_dispatch:",
      "    inputs:",
      "      channel: { type: string, default: beta }",
      "      dry: { type: boolean, default: true }",
      "jobs:",
      "  show:",
      "    runs-on: ubuntu-latest",
      "    outputs: { seen: '${{ steps.s.outputs.seen }}' }",
      "    steps:",
      "      - id: s",
      "        env: { CHANNEL: '${{ inputs.channel }}', EVENT: '${{ github.event_name }}', DRY: '${{ inputs.dry && 1 || 0 }}' }",
      '        run: echo "seen=$EVENT $CHANNEL $DRY" >> "$GITHUB_OUTPUT"',
    ]);
    const dispatched = await runWorkflow({
      caller,
      event: "workflow_dispatch",
      ref: "main",
      repo: REPO,
      inputs: { channel: "stable" },
    });
    expect(dispatched.outputs.show).toEqual({ seen: "workflow_dispatch stable 1" });
    const defaults = await runWorkflow({
      caller,
      event: "workflow_dispatch",
      ref: "main",
      repo: REPO,
      inputs: { dry: "false" },
    });
    expect(defaults.outputs.show).toEqual({ seen: "workflow_dispatch beta 0" });
    await expect(
      runWorkflow({ caller, event: "workflow_dispatch", ref: "main", repo: REPO, inputs: { chanel: "x" } }),
    ).rejects.toThrow(/no workflow_dispatch input 'chanel'/);
  }, 60_000);

  it("gives a fork's pull request no secrets but the token, and the pull request's refs", async () => {
    const caller = writeCaller("fork.yml", [
      "on: pull_request",
      "jobs:",
      "  look:",
      "    runs-on: ubuntu-latest",
      "    outputs: { seen: '${{ steps.s.outputs.seen }}' }",
      "    steps:",
      "      - id: s",
      "        env:",
      "          SECRET: '${{ secrets.PASSED }}'",
      "          TOKEN: '${{ secrets.GITHUB_TOKEN }}'",
      "          FORK: '${{ github.event.pull_request.head.repo.full_name != github.repository }}'",
      "          REFS: '${{ github.ref }} ${{ github.head_ref }} ${{ github.base_ref }}'",
      '        run: echo "seen=[$SECRET] ${#TOKEN} $FORK $REFS" >> "$GITHUB_OUTPUT"',
    ]);
    const base = {
      caller,
      event: "pull_request" as const,
      ref: "feature/x",
      repo: REPO,
      secrets: { PASSED: secret },
    };
    const fork = await runWorkflow({ ...base, fork: true });
    expect(fork.outputs.look).toEqual({ seen: "[] 40 true refs/pull/7/merge feature/x main" });
    const own = await runWorkflow(base);
    expect(own.outputs.look).toEqual({ seen: `[${secret}] 40 false refs/pull/7/merge feature/x main` });
  }, 60_000);

  it("runs the artifact stand-ins on the real client, and fails what they cannot do instead of ignoring it", async () => {
    const caller = writeCaller("artifacts.yml", [
      "on: push",
      "jobs:",
      "  up:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: mkdir out && echo hello > out/a.txt",
      "      - uses: actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
      "        with: { name: greeting, path: out }",
      "  down:",
      "    needs: up",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
      "        with: { name: greeting, path: got }",
      '      - run: test "$(cat got/a.txt)" = hello',
      "      - uses: actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
      "        with: { pattern: 'greet*' }",
    ]);
    const moved = await runWorkflow({ caller, event: "push", ref: "develop", repo: REPO });
    const down = moved.jobs.find((j) => j.id === "down");
    expect(down?.steps.map((s) => s.conclusion)).toEqual(["success", "success", "failure"]);
    expect(down?.steps[2]?.log).toContain("does not support 'pattern'");
  }, 60_000);

  it("cancels like the runner: the running step is interrupted, if: always() steps and post steps still run", async () => {
    const caller = writeCaller("cancel.yml", [
      "on: push",
      "jobs:",
      "  long:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: goflow-ci/goflow-actions/test/fixtures/actions/diagnostic@v1",
      "      - run: |",
      "          trap 'echo got SIGINT; exit 130' INT",
      "          echo started; sleep 30 & wait",
      "      - run: echo not after a cancel",
      "      - if: always()",
      "        run: echo cleanup after cancel",
      "  later:",
      "    needs: long",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo never",
    ]);
    const cancelled = await runWorkflow({
      caller,
      event: "push",
      ref: "develop",
      repo: REPO,
      cancelWhen: { when: /started/ },
    });
    expect(cancelled.conclusion).toBe("cancelled");
    const [long] = cancelled.jobs;
    expect(long?.result).toBe("cancelled");
    expect(long?.steps.map((s) => [s.conclusion, s.post === true])).toEqual([
      ["success", false],
      ["cancelled", false],
      ["skipped", false],
      ["success", false],
      ["success", true],
    ]);
    expect(long?.steps[1]?.log).toContain("got SIGINT");
    expect(cancelled.jobs[1]?.result).toBe("skipped");
  }, 60_000);
});

describe("npm run workflow", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [resolve("test/harness/workflow/bin.mjs"), ...args], {
      encoding: "utf8",
      timeout: 120_000,
    });

  it("prints the run as JSON and exits 1 when the run did not succeed", () => {
    const result = cli(
      join(REPO, ".github/workflows/basics.yml"),
      "--event",
      "push",
      "--ref",
      "develop",
      "--repo",
      REPO,
      "--secret",
      "PASSED=the-passed-secret",
      "--json",
    );
    expect(result.status, result.stderr).toBe(1);
    const run = JSON.parse(result.stdout) as WorkflowRun;
    expect(run.conclusion).toBe("failure");
    expect(run.jobs.find((j) => j.id === "call/inner")?.result).toBe("success");
  }, 120_000);

  it("exits 2 with its usage for a missing --event", () => {
    const result = cli(join(REPO, ".github/workflows/basics.yml"), "--ref", "develop");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: npm run workflow -- <caller.yml> --event/);
  });
});
