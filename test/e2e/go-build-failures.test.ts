import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionRun } from "../harness/run-action.js";
import { FIXTURE_MODULES, type GoBuildFixture, goBuildFixture, logOf } from "./go-build-support.js";
import { dockerAvailable } from "./support/docker.js";
import { rootOwnedFiles } from "./support/runner-user.js";

/**
 * go-build on modules that must fail, and the annotations that say why:
 * unformatted code, a failing test, code that does not compile, and inputs
 * refused before any container starts. One cache-dir for the file.
 */
describe.skipIf(!dockerAvailable)("go-build failures", () => {
  let fixture: GoBuildFixture;
  let cacheDir: string;

  beforeAll(() => {
    fixture = goBuildFixture();
    cacheDir = fixture.cacheDir();
  });
  afterAll(() => fixture?.cleanup());

  const errors = (run: ActionRun) => run.annotations.filter((a) => a.command === "error");

  it("fails format: check naming each unformatted file, and fixes them with format: fix", async () => {
    const workspace = fixture.workspace("unformatted", "app");
    const inputs = { "working-directory": "app", "cache-dir": cacheDir, vet: "false", test: "false" };
    const checked = await fixture.run({ workspace, inputs });
    expect(checked.main.exitCode, logOf(checked)).not.toBe(0);
    // testdata/, _scratch/ and .hidden/ hold unformatted files too, which gofmt must not see.
    expect(errors(checked).map((a) => a.properties.file)).toEqual(["app/greet.go", undefined]);
    expect(errors(checked)[0]?.message).toContain("not gofmt-formatted");
    expect(errors(checked)[1]?.message).toContain("app/greet.go");
    expect(checked.outputs.binary).toBe("");
    expect(checked.post).toBeUndefined();

    const fixed = await fixture.run({ workspace, inputs: { ...inputs, format: "fix" } });
    expect(fixed.main.exitCode, logOf(fixed)).toBe(0);
    const notices = fixed.annotations.filter((a) => a.command === "notice");
    expect(notices.map((a) => a.properties.file)).toEqual(["app/greet.go"]);
    expect(readFileSync(join(workspace, "app/greet.go"), "utf8")).toContain('\treturn "hello, " + name\n');
    expect(readFileSync(join(workspace, "app/testdata/ignored.go"), "utf8")).toContain("func   ignored( )");
    expect(fixed.outputs.binary).toBe(join(workspace, "app/unformatted"));
    expect(rootOwnedFiles(workspace)).toEqual([]);
  });

  it("fails a failing test at its assertion, with counts, JUnit and the summary", async () => {
    const workspace = fixture.workspace("failing-test", "svc");
    const run = await fixture.run({
      workspace,
      inputs: { "working-directory": "svc", "cache-dir": cacheDir, "junit-report": "junit.xml" },
    });
    expect(run.main.exitCode, logOf(run)).not.toBe(0);
    expect(errors(run)[0]).toMatchObject({
      properties: { title: "go test: TestSub", file: "svc/calc_test.go", line: "13" },
      message: "Sub(5, 3) = 8, want 2",
    });
    expect(run.outputs["tests-passed"]).toBe("1");
    expect(run.outputs["tests-failed"]).toBe("1");
    expect(run.outputs["tests-skipped"]).toBe("1");
    expect(run.outputs.binary).toBe("");
    // The build ran beside the tests into RUNNER_TEMP: with a test failed, no binary reaches the
    // workspace and the staging folder is gone.
    expect(existsSync(join(workspace, "svc/failing-test"))).toBe(false);
    expect(readdirSync(run.runnerTemp).filter((name) => name.startsWith("goflow-stage-"))).toEqual([]);

    const junit = readFileSync(join(workspace, "junit.xml"), "utf8");
    expect(junit).toContain('<testsuites name="go test" tests="3" failures="1" errors="0" time=');
    expect(junit).toMatch(
      /<testcase name="TestSub"[^>]*>\s*<failure message="Sub\(5, 3\) = 8, want 2" type="failure">at svc\/calc_test.go:13\n/,
    );
    expect(run.summary).toContain("TestSub");
    expect(run.summary).toMatch(/❌ \| test \|/);
    expect(run.summary).toMatch(/⏭️ \| build \|/);
    expect(run.main.stdout).toMatch(/::error::go-build: test: 1 test failed/);
    expect(rootOwnedFiles(workspace)).toEqual([]);
  });

  it("reruns a failed subtest alone with rerun-failed, passes, and reports it as flaky", async () => {
    const workspace = fixture.workspace("flaky-test");
    const inputs = { "cache-dir": cacheDir, "junit-report": "junit.xml" };
    const failing = await fixture.run({ workspace, inputs });
    expect(failing.main.exitCode, logOf(failing)).not.toBe(0);
    expect(failing.outputs["tests-failed"]).toBe("2");

    rmSync(join(workspace, "marker"), { force: true });
    const run = await fixture.run({ workspace, inputs: { ...inputs, "rerun-failed": "2" } });
    expect(run.main.exitCode, logOf(run)).toBe(0);
    expect(logOf(run)).toContain(
      "rerun 1 of 2: go test -run '^TestTable$/^needs_\\(marker\\)$' example.com/flaky",
    );
    expect(run.outputs["tests-failed"]).toBe("0");
    expect(run.outputs["tests-flaky"]).toBe("2");
    expect(run.outputs["tests-passed"]).toBe("2");
    expect(run.annotations.filter((a) => a.command === "warning")).toContainEqual(
      expect.objectContaining({
        properties: expect.objectContaining({
          title: "go test: flaky TestTable/needs_(marker)",
          file: "flaky_test.go",
          line: "20",
        }),
        message: "failed 1 of 2 runs, then passed: marker missing",
      }),
    );
    expect(errors(run)).toEqual([]);
    const junit = readFileSync(join(workspace, "junit.xml"), "utf8");
    expect(junit).toContain('<flakyFailure message="marker missing" type="failure">');
    expect(run.summary).toMatch(/\| Passed \| Failed \| Flaky \|/);
    expect(rootOwnedFiles(workspace)).toEqual([]);
  });

  it("annotates the compiler's file and line when the code does not compile", async () => {
    const workspace = fixture.workspace("broken");
    const vetted = await fixture.run({ workspace, inputs: { "cache-dir": cacheDir } });
    expect(vetted.main.exitCode, logOf(vetted)).not.toBe(0);
    expect(errors(vetted)[0]).toMatchObject({
      properties: { title: "go vet", file: "main.go", line: "7", col: "14" },
      message: "undefined: undefinedName",
    });

    const tested = await fixture.run({ workspace, inputs: { "cache-dir": cacheDir, vet: "false" } });
    expect(tested.main.exitCode, logOf(tested)).not.toBe(0);
    expect(errors(tested)[0]).toMatchObject({
      properties: { title: "build failed: example.com/broken", file: "main.go", line: "7", col: "14" },
      message: "undefined: undefinedName",
    });

    const built = await fixture.run({
      workspace,
      inputs: { "cache-dir": cacheDir, vet: "false", test: "false" },
    });
    expect(built.main.exitCode, logOf(built)).not.toBe(0);
    expect(errors(built)[0]).toMatchObject({
      properties: { title: "go build", file: "main.go", line: "7", col: "14" },
      message: "undefined: undefinedName",
    });
    expect(built.main.stdout).toContain("::error::go-build: build: go build (the builder's platform) failed");
  });

  describe("refuses bad input before any container starts", () => {
    const cases: {
      name: string;
      inputs: Record<string, string>;
      env?: Record<string, string>;
      message: RegExp;
    }[] = [
      {
        name: "Docker not reachable",
        inputs: {},
        env: { DOCKER_HOST: "unix:///nonexistent/goflow-e2e-docker.sock" },
        message: /Docker is not reachable .*Start the engine/,
      },
      {
        name: "no go.mod",
        inputs: { "working-directory": "nowhere" },
        message: /no go\.mod in \S+\/nowhere; set working-directory to the folder of your module's go\.mod/,
      },
      {
        name: "an unknown format",
        inputs: { format: "sometimes" },
        message: /input 'format' is 'sometimes'; use one of: check, fix, off/,
      },
      {
        name: "a platform that is not os/arch",
        inputs: { platforms: "linux/amd64\nlinux" },
        message: /platforms entry 'linux' must be os\/arch, e.g\. linux\/amd64/,
      },
      {
        name: "a network name Docker would refuse",
        inputs: { network: "build net" },
        message: /network is 'build net'; use host, bridge, none or the name of an existing Docker network/,
      },
      {
        name: "a network that does not exist",
        inputs: { network: "goflow-e2e-missing-network" },
        message:
          /network 'goflow-e2e-missing-network': there is no Docker network of that name\. Create it first \(docker network create goflow-e2e-missing-network\)/,
      },
      {
        name: "a builder image that is not there",
        inputs: { "builder-image": "goflow-e2e-missing-image:1" },
        message:
          /builder-image 'goflow-e2e-missing-image:1' is not available locally and could not be pulled/,
      },
    ];
    it.each(cases)("$name", async ({ inputs, env, message }) => {
      const workspace = fixture.workspace(join(FIXTURE_MODULES, "broken"));
      const recorder = fixture.recordDocker();
      const run = await fixture.run({
        workspace,
        inputs: { "cache-dir": cacheDir, ...inputs },
        env: { ...recorder.env, ...env },
      });
      expect(run.main.exitCode).not.toBe(0);
      expect(
        errors(run)
          .map((a) => a.message)
          .join("\n"),
      ).toMatch(message);
      // Refused before the builder container starts: nothing was run or exec'd.
      expect(recorder.calls().filter((call) => /^(run|exec) /.test(call))).toEqual([]);
    });
  });
});
