import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeCommand, ProcessError, runProcess, runProcessChecked } from "../../src/runtime/process.js";

const node = process.execPath;
const scratch = mkdtempSync(join(tmpdir(), "goflow-process-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("runProcess", () => {
  it("hands arguments to the program as they are: no shell expands them", async () => {
    const hostile = ["$(touch pwned)", "a;b", "`id`", "*", "feature/x y"];
    const result = await runProcess(
      node,
      ["-e", "console.log(JSON.stringify(process.argv.slice(1)))", ...hostile],
      {
        cwd: scratch,
      },
    );
    expect(JSON.parse(result.stdout)).toEqual(hostile);
    expect(() => readFileSync(join(scratch, "pwned"))).toThrow();
  });

  it.each([
    [0, 0],
    [3, 3],
    [127, 127],
  ])("returns exit code %i as %i without throwing", async (code, expected) => {
    const result = await runProcess(node, ["-e", `process.exit(${code})`]);
    expect(result.exitCode).toBe(expected);
    expect(result.timedOut).toBe(false);
  });

  it("reports a program killed by a signal as 128 + the signal's number", async () => {
    const result = await runProcess(node, ["-e", "process.kill(process.pid, 'SIGKILL')"]);
    expect(result.exitCode).toBe(137);
  });

  it("writes input to stdin and captures stdout and stderr apart", async () => {
    const result = await runProcess(
      node,
      [
        "-e",
        "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{process.stdout.write(s.toUpperCase());process.stderr.write('err')})",
      ],
      { input: "secret-from-stdin" },
    );
    expect(result.stdout).toBe("SECRET-FROM-STDIN");
    expect(result.stderr).toBe("err");
  });

  it("adds env to this process's environment, or replaces it with replaceEnv", async () => {
    const script =
      "console.log(JSON.stringify([process.env.GOFLOW_A ?? null, process.env.PATH ? 'path' : null]))";
    const added = await runProcess(node, ["-e", script], { env: { GOFLOW_A: "1" } });
    expect(JSON.parse(added.stdout)).toEqual(["1", "path"]);
    const replaced = await runProcess(node, ["-e", script], { env: { GOFLOW_A: "2" }, replaceEnv: true });
    expect(JSON.parse(replaced.stdout)).toEqual(["2", null]);
  });

  it("drops variables set to undefined", async () => {
    process.env.GOFLOW_PROCESS_TEST_DROP = "set";
    try {
      const result = await runProcess(
        node,
        ["-e", "console.log(process.env.GOFLOW_PROCESS_TEST_DROP ?? 'unset')"],
        {
          env: { GOFLOW_PROCESS_TEST_DROP: undefined },
        },
      );
      expect(result.stdout.trim()).toBe("unset");
    } finally {
      delete process.env.GOFLOW_PROCESS_TEST_DROP;
    }
  });

  it("keeps only the tail of a stream beyond captureLimit", async () => {
    const result = await runProcess(node, ["-e", "process.stdout.write('a'.repeat(1000) + 'END')"], {
      captureLimit: 10,
    });
    expect(result.stdout).toBe("aaaaaaaEND");
  });

  it("streams stdout to a file instead of memory, and calls onStdout with each chunk", async () => {
    const file = join(scratch, "out.log");
    const chunks: string[] = [];
    const result = await runProcess(node, ["-e", "console.log('to the file')"], {
      stdoutFile: file,
      onStdout: (chunk) => chunks.push(chunk),
    });
    expect(result.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe("to the file\n");
    expect(chunks.join("")).toBe("to the file\n");
  });

  it("kills a program that outlives its timeout and says so", async () => {
    const result = await runProcess(node, ["-e", "setTimeout(() => {}, 60_000)"], { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
    expect(result.durationMs).toBeLessThan(30_000);
  });

  it("stops a program when the signal aborts", async () => {
    const controller = new AbortController();
    const running = runProcess(node, ["-e", "setTimeout(() => {}, 60_000)"], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toThrow(/abort/i);
  });

  it("names a missing program in its error", async () => {
    await expect(runProcess("goflow-no-such-program", ["x"])).rejects.toThrow(
      /'goflow-no-such-program' is not installed or not on PATH/,
    );
  });
});

describe("runProcessChecked", () => {
  it("throws a ProcessError naming the command and holding its result", async () => {
    const error = await runProcessChecked(node, ["-e", "console.error('it broke'); process.exit(2)"]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProcessError);
    expect((error as ProcessError).result.exitCode).toBe(2);
    expect((error as ProcessError).message).toContain("it broke");
  });

  it("returns the result when the program succeeds", async () => {
    const result = await runProcessChecked(node, ["-e", "console.log('fine')"]);
    expect(result.stdout.trim()).toBe("fine");
  });
});

describe("describeCommand", () => {
  it.each([
    [["docker", "ps", "-q"], "docker ps -q"],
    [["git", "commit", "-m", "two words"], 'git commit -m "two words"'],
    [["sh", "-c", "$(x)"], 'sh -c "$(x)"'],
    [["docker", "--label=goflow.run=1"], "docker --label=goflow.run=1"],
  ])("quotes only what a shell would split: %j", ([command = "", ...args], expected) => {
    expect(describeCommand(command, args)).toBe(expected);
  });
});
