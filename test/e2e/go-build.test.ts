import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chownTree } from "../harness/run-action.js";
import { GO_AUTH, type GoBuildFixture, goBuildFixture, logOf, runIdOf } from "./go-build-support.js";
import { docker, dockerAvailable } from "./support/docker.js";
import { startGoModuleProxy } from "./support/go-proxy.js";
import { removeLabelledContainers } from "./support/registry.js";
import { rootOwnedFiles } from "./support/runner-user.js";

/**
 * go-build on modules that build: examples/go-auth end to end (twice, the
 * second time from the caches the first left), a module whose dependency comes
 * from a proxy on localhost, a vendored module with no network, and a cancelled run. One cache-dir for the file: the first run
 * fills it, the others start warm.
 */
describe.skipIf(!dockerAvailable)("go-build", () => {
  let fixture: GoBuildFixture;
  let cacheDir: string;

  beforeAll(() => {
    fixture = goBuildFixture();
    cacheDir = fixture.cacheDir();
  });
  afterAll(() => fixture?.cleanup());

  it("builds examples/go-auth in golang:1.24 as the runner user, stamped with the git-flow version", async () => {
    const workspace = fixture.workspace(GO_AUTH, "services/go-auth");
    const moduleDir = join(workspace, "services/go-auth");
    const run = await fixture.run({
      workspace,
      inputs: {
        "working-directory": "services/go-auth",
        "version-variable": "main.version",
        "junit-report": "reports/go-test.xml",
        "cache-dir": cacheDir,
        "artifact-name": "go-auth-binary",
      },
    });
    expect(run.main.exitCode, logOf(run)).toBe(0);

    const binary = join(moduleDir, "go-auth");
    expect(run.outputs.binary).toBe(binary);
    expect(run.outputs["go-version"]).toBe("1.24");
    expect(run.outputs["builder-image"]).toBe("golang:1.24");
    expect(Number(run.outputs["tests-passed"])).toBeGreaterThan(10);
    expect(run.outputs["tests-failed"]).toBe("0");
    expect(run.outputs["cache-hit"]).toBe("false");
    expect(run.outputs["artifact-id"]).toMatch(/^local:/);
    expect(run.annotations.filter((a) => a.command === "error")).toEqual([]);

    // The binary is what the classic Dockerfile ADDs: a static Linux executable, owned by the runner.
    expect(readFileSync(binary).subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(statSync(binary).uid).toBe(fixture.user.uid);
    // A push to develop: the version docker-package tags the image with.
    expect(printedVersion(binary)).toBe("develop");
    expect(rootOwnedFiles(workspace)).toEqual([]);

    const junit = readFileSync(join(workspace, "reports/go-test.xml"), "utf8");
    expect(junit).toContain('<testsuite name="example.com/go-auth"');
    expect(run.summary).toContain("go-build: example.com/go-auth");
    expect(run.summary).toContain("Go tests");

    for (const group of ["dependencies", "format", "vet", "test", "build", "artifact"]) {
      expect(run.main.stdout).toMatch(new RegExp(`✓ ${group} \\(`));
    }
    // post-if: success() ran the post step, which marked the caches as this key's.
    expect(run.post?.exitCode, logOf(run)).toBe(0);
    expect(readFileSync(join(cacheDir, "goflow-cache-key"), "utf8")).toMatch(/^goflow-go-linux-/);
    expect(docker("ps", "-aq", "--filter", `label=io.goflow.run=${runIdOf(run)}`)).toBe("");
  });

  it("reports cache-hit from an earlier run's caches, and stamps the version under goflow.yml's git-flow", async () => {
    const workspace = fixture.workspace(GO_AUTH);
    writeFileSync(join(workspace, "goflow.yml"), "package:\n  release-prefix: rel/\n");
    const run = await fixture.run({
      workspace,
      inputs: { "cache-dir": cacheDir, format: "off", vet: "false", "version-variable": "main.version" },
      env: { GITHUB_REF: "refs/heads/rel/1.4" },
    });
    expect(run.main.exitCode, logOf(run)).toBe(0);
    expect(run.outputs["cache-hit"]).toBe("true");
    expect(run.outputs.binary).toBe(join(workspace, "go-auth"));
    // rel/1.4 is a release branch under the package's settings: the release candidate docker-package tags.
    expect(printedVersion(join(workspace, "go-auth"))).toBe("1.4.0-rc.7");
  });

  it("downloads modules through a proxy on the runner's localhost, on the host network by default", async () => {
    const proxy = await startGoModuleProxy(resolve("test/fixtures/go/proxy"));
    try {
      const workspace = fixture.workspace("proxied");
      writeFileSync(join(workspace, "go.sum"), proxy.goSum);
      chownTree(workspace, fixture.user);
      const recorder = fixture.recordDocker();
      const run = await fixture.run({
        workspace,
        inputs: { "cache-dir": cacheDir },
        env: { ...recorder.env, GOPROXY: proxy.url, GONOSUMDB: "example.com" },
      });
      expect(run.main.exitCode, logOf(run)).toBe(0);
      // Fetched (and checked against go.sum) in the dependencies step, then used by vet, test and build.
      expect(proxy.requests).toContain("/example.com/greet/@v/v1.0.0.zip");
      expect(run.main.stdout).toContain("::group::dependencies\ngo mod download\n");
      expect(run.outputs["tests-passed"]).toBe("1");
      // One builder container for the run; download, gofmt, vet, test and build are exec'd into it.
      const [builder, ...others] = recorder.calls().filter((call) => call.startsWith("run "));
      expect(others).toEqual([]);
      expect(builder).toContain("--network host");
      // Passed by name: the proxy's URL (which may hold credentials) is on no command line.
      expect(builder).toContain("--env GOPROXY ");
      const execs = recorder.calls().filter((call) => call.startsWith("exec "));
      expect(execs.map((call) => call.split(" ").slice(2, 4).join(" "))).toEqual(
        expect.arrayContaining(["go mod", "go vet", "go test", "go build"]),
      );
      for (const call of recorder.calls()) expect(call).not.toContain(proxy.url);
      expect(execFileSync(join(workspace, "proxied"), { encoding: "utf8" })).toBe("hello, proxy\n");
      expect(rootOwnedFiles(workspace)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("runs the containers on a named network, where the tests reach its services by name", async () => {
    const label = `go-build-network-${process.pid}`;
    const network = `goflow-e2e-${label}`;
    docker("network", "create", "--label", `io.goflow.test=${label}`, network);
    try {
      docker(
        "run",
        "--detach",
        "--label",
        `io.goflow.test=${label}`,
        "--network",
        network,
        "--network-alias",
        "cache",
        "redis:7",
      );
      const run = await fixture.run({
        workspace: fixture.workspace("service-network"),
        inputs: { "cache-dir": cacheDir, network },
      });
      expect(run.main.exitCode, logOf(run)).toBe(0);
      // Its TestCacheAnswersPing dials cache:6379, a name only that network resolves.
      expect(run.outputs["tests-passed"]).toBe("1");
    } finally {
      removeLabelledContainers(label);
      docker("network", "rm", network);
    }
  });

  it("builds a vendored module with every container off the network", async () => {
    const workspace = fixture.workspace("vendored");
    const recorder = fixture.recordDocker();
    const token = "ghp_goflowE2eToken0123456789";
    const run = await fixture.run({
      workspace,
      inputs: { "cache-dir": cacheDir, "private-modules-token": token },
      env: recorder.env,
    });
    expect(run.main.exitCode, logOf(run)).toBe(0);
    // Its TestNoNetwork fails when the container has any interface but loopback.
    expect(run.outputs["tests-passed"]).toBe("2");
    expect(existsSync(join(workspace, "vendored"))).toBe(true);
    const [builder, ...others] = recorder.calls().filter((call) => call.startsWith("run "));
    expect(others).toEqual([]);
    expect(builder).toContain("--network none");
    // The token reaches Go only as a read-only .netrc in the container's HOME, never on a command line.
    expect(builder).toMatch(/source=\S+\/goflow-netrc-\S+\/\.netrc,target=\S+\/home\/\.netrc,readonly/);
    expect(recorder.calls().filter((call) => call.startsWith("exec ")).length).toBeGreaterThanOrEqual(4);
    for (const call of recorder.calls()) expect(call).not.toContain(token);
    expect(run.main.stdout).toContain(`::add-mask::${token}`);
    expect(readdirSync(run.runnerTemp).filter((name) => name.startsWith("goflow-netrc-"))).toEqual([]);
    expect(readFileSync(join(cacheDir, "home/.netrc"), "utf8")).toBe("");
    expect(rootOwnedFiles(workspace)).toEqual([]);
  });

  it("builds every platform in the one container, with GOOS/GOARCH per exec", async () => {
    const workspace = fixture.workspace(GO_AUTH);
    const recorder = fixture.recordDocker();
    const run = await fixture.run({
      workspace,
      inputs: {
        "cache-dir": cacheDir,
        format: "off",
        vet: "false",
        test: "false",
        // One foreign platform: each costs a compile of the standard library on a cold cache.
        platforms: "linux/amd64\nwindows/arm64",
      },
      env: recorder.env,
    });
    expect(run.main.exitCode, logOf(run)).toBe(0);
    // ELF e_machine (offset 18) 0x3e is x86-64; a PE file's machine (after its "PE\0\0") 0xaa64 is ARM64.
    const linux = readFileSync(join(workspace, "go-auth-linux-amd64"));
    expect(linux.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(linux.readUInt16LE(18)).toBe(0x3e);
    const windows = readFileSync(join(workspace, "go-auth-windows-arm64.exe"));
    const pe = windows.readUInt32LE(0x3c);
    expect(windows.subarray(pe, pe + 4).toString("latin1")).toBe("PE\0\0");
    expect(windows.readUInt16LE(pe + 4)).toBe(0xaa64);
    expect(recorder.calls().filter((call) => call.startsWith("run "))).toHaveLength(1);
    const builds = recorder.calls().filter((call) => / go build /.test(call));
    expect(builds.map((call) => /^exec --env GOOS=(\S+) --env GOARCH=(\S+) /.exec(call)?.slice(1))).toEqual([
      ["linux", "amd64"],
      ["windows", "arm64"],
    ]);
    expect(docker("ps", "-aq", "--filter", `label=io.goflow.run=${runIdOf(run)}`)).toBe("");
  });

  it("builds several packages for several platforms beside the tests, placing them only after the tests passed", async () => {
    const workspace = fixture.workspace("several-mains");
    const run = await fixture.run({
      workspace,
      inputs: {
        "cache-dir": cacheDir,
        packages: "./cmd/api\n./cmd/worker",
        output: "bin",
        platforms: "linux/amd64\nwindows/arm64",
      },
    });
    expect(run.main.exitCode, logOf(run)).toBe(0);
    expect(run.outputs["tests-passed"]).toBe("1");
    const names = [
      "api-linux-amd64",
      "worker-linux-amd64",
      "api-windows-arm64.exe",
      "worker-windows-arm64.exe",
    ];
    expect((run.outputs.binary ?? "").split("\n").sort()).toEqual(
      names.map((name) => join(workspace, "bin", name)).sort(),
    );
    expect(readdirSync(join(workspace, "bin")).sort()).toEqual([...names].sort());
    expect(statSync(join(workspace, "bin/api-linux-amd64")).mode & 0o111).not.toBe(0);
    expect(execFileSync(join(workspace, "bin/worker-linux-amd64"), { encoding: "utf8" })).toBe(
      "hello, worker\n",
    );
    // The build's log stays in its own group, after the tests' group.
    expect(run.main.stdout.indexOf("::group::build")).toBeGreaterThan(
      run.main.stdout.indexOf("::group::test"),
    );
    expect(run.main.stdout.slice(run.main.stdout.indexOf("::group::build"))).toMatch(
      /^::group::build\ngo build /,
    );
    expect(readdirSync(run.runnerTemp).filter((name) => name.startsWith("goflow-stage-"))).toEqual([]);
    expect(rootOwnedFiles(workspace)).toEqual([]);
  });

  it("kills and removes its container when the run is cancelled, and fails as cancelled", async () => {
    const workspace = fixture.workspace("slow-test");
    const run = await fixture.run({
      workspace,
      inputs: { "cache-dir": cacheDir, format: "off", vet: "false" },
      interrupt: { when: /goflow-fixture: tests started/, signal: "SIGTERM" },
    });
    // Fail closed through the normal route: the stage returned after removing the container.
    expect(run.main.exitCode, logOf(run)).toBe(1);
    expect(run.main.stdout).toContain("SIGTERM: removing this run's containers");
    expect(run.main.stdout).toMatch(/::error::go-build: test: cancelled \(SIGTERM\)/);
    // The test sleeps 2 minutes: only the container's removal ends it this soon, and no finding is made of it.
    expect(run.annotations.filter((a) => a.command === "error" && a.properties.file)).toEqual([]);
    expect(run.summary).toContain("| ❌ | test |");
    expect(run.post).toBeUndefined();
    const runId = runIdOf(run);
    expect(runId).toBeTruthy();
    expect(docker("ps", "-aq", "--filter", `label=io.goflow.run=${runId}`)).toBe("");
    expect(rootOwnedFiles(workspace)).toEqual([]);
  });
});

/** What the go-auth binary prints for `-version`, run in a container with no network. */
function printedVersion(binary: string): string {
  return docker(
    "run",
    "--rm",
    "--network",
    "none",
    "--mount",
    `type=bind,source=${binary},target=/app,readonly`,
    "debian:bookworm-slim",
    "/app",
    "-version",
  );
}
