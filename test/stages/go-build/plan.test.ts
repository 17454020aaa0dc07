import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import type { BuildOptions } from "../../../src/options/go-build.js";
import type { RunContext } from "../../../src/runtime/run-context.js";
import { listGoSourceFiles, planBuild } from "../../../src/stages/go-build/plan.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "goflow-build-plan-"));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function context(workspace: string, overrides: Partial<RunContext> = {}): RunContext {
  return {
    eventName: "push",
    ref: "refs/heads/develop",
    sha: "0123456789abcdef0123456789abcdef01234567",
    repository: "acme/go-auth",
    serverUrl: "https://github.com",
    defaultBranch: "main",
    runId: "1",
    runNumber: 7,
    runAttempt: 1,
    job: "build",
    workspace,
    tempDir: tmpdir(),
    pullRequest: undefined,
    repositoryDescription: undefined,
    repositoryLicense: undefined,
    ...overrides,
  };
}

function options(workingDirectory: string, overrides: Partial<BuildOptions> = {}): BuildOptions {
  return {
    workingDirectory,
    goVersion: undefined,
    builderImage: undefined,
    format: "check",
    vet: true,
    test: true,
    testFlags: [],
    rerunFailed: 0,
    packages: [],
    output: undefined,
    ldflags: "",
    tags: [],
    cgo: false,
    platforms: [],
    versionVariable: undefined,
    version: undefined,
    junitReport: undefined,
    cache: true,
    cacheDir: join(tmpdir(), "unused"),
    artifactName: undefined,
    privateModulesToken: undefined,
    privateModulesHost: "github.com",
    passedEnv: {},
    network: undefined,
    gitflow: {},
    ...overrides,
  };
}

const GO_MOD = "module example.com/go-auth\n\ngo 1.24.2\n";

describe("planBuild", () => {
  it("builds what plain go build writes, with golang:<go directive major.minor>", () => {
    const ws = workspaceWith({ "svc/go.mod": GO_MOD });
    const plan = planBuild(options(join(ws, "svc")), context(ws));
    expect(plan.goVersion).toBe("1.24");
    expect(plan.builderImage).toBe("golang:1.24");
    expect(plan.mountRoot).toBe(ws);
    expect(plan.baseDir).toBe("svc");
    expect(plan.vendored).toBe(false);
    expect(plan.network).toBe("host");
    expect(plan.hasRequirements).toBe(false);
    expect(plan.targets).toEqual([
      {
        platform: undefined,
        output: join(ws, "svc/go-auth"),
        binaries: [join(ws, "svc/go-auth")],
        renames: [],
        args: ["build", "-trimpath", "-o", join(ws, "svc/go-auth"), "."],
      },
    ]);
  });

  it("prefers the toolchain directive, then go-version and builder-image", () => {
    const ws = workspaceWith({ "go.mod": `${GO_MOD}toolchain go1.25.1\n` });
    expect(planBuild(options(ws), context(ws)).builderImage).toBe("golang:1.25");
    expect(planBuild(options(ws, { goVersion: "1.23" }), context(ws)).builderImage).toBe("golang:1.23");
    const custom = planBuild(options(ws, { builderImage: "registry.local/go:1" }), context(ws));
    expect(custom).toMatchObject({ builderImage: "registry.local/go:1", goVersion: "1.25" });
  });

  it("stamps the git-flow version of the run into version-variable", () => {
    const ws = workspaceWith({ "go.mod": GO_MOD });
    const develop = planBuild(options(ws, { versionVariable: "main.version" }), context(ws));
    expect(develop.version).toBe("develop");
    expect(develop.targets[0]?.args).toEqual([
      "build",
      "-trimpath",
      "-ldflags",
      "-X main.version=develop",
      "-o",
      join(ws, "go-auth"),
      ".",
    ]);
    const tagged = planBuild(
      options(ws, { versionVariable: "main.version", ldflags: "-s -w" }),
      context(ws, { ref: "refs/tags/v1.2.3" }),
    );
    expect(tagged.targets[0]?.args).toContain("-s -w -X main.version=1.2.3");
    const given = planBuild(options(ws, { versionVariable: "main.version", version: "9.9.9" }), context(ws));
    expect(given.version).toBe("9.9.9");
  });

  it.each([
    ["refs/tags/v1.2.3", { keepVersionPrefix: true }, "v1.2.3"],
    ["refs/tags/1.2.3", { versionTagPrefix: "" }, "1.2.3"],
    ["refs/heads/rel/1.4", { releasePrefix: "rel/" }, "1.4.0-rc.7"],
    ["refs/heads/rel/1.4", {}, "rel-1.4"],
  ])(
    "stamps %s under the package's git-flow settings %o as %s, the image's tag",
    (ref, gitflow, expected) => {
      const ws = workspaceWith({ "go.mod": GO_MOD });
      const plan = planBuild(options(ws, { versionVariable: "main.version", gitflow }), context(ws, { ref }));
      expect(plan.version).toBe(expected);
    },
  );

  it("suffixes binaries with -<os>-<arch> for several platforms", () => {
    const ws = workspaceWith({ "go.mod": GO_MOD });
    const plan = planBuild(
      options(ws, {
        platforms: [
          { os: "linux", arch: "amd64" },
          { os: "windows", arch: "arm64" },
        ],
        output: join(ws, "bin/auth"),
      }),
      context(ws),
    );
    expect(plan.targets.map((t) => t.binaries)).toEqual([
      [join(ws, "bin/auth-linux-amd64")],
      [join(ws, "bin/auth-windows-arm64.exe")],
    ]);
  });

  it("names several packages' binaries and stages them per platform", () => {
    const ws = workspaceWith({ "go.mod": GO_MOD });
    const one = planBuild(options(ws, { packages: ["./cmd/api", "./cmd/worker/v2"] }), context(ws));
    expect(one.targets[0]).toMatchObject({
      output: `${ws}/`,
      binaries: [join(ws, "api"), join(ws, "worker")],
      renames: [],
    });
    const two = planBuild(
      options(ws, {
        packages: ["./cmd/api", "./cmd/worker"],
        platforms: [
          { os: "linux", arch: "amd64" },
          { os: "linux", arch: "arm", variant: "v7" },
        ],
      }),
      context(ws),
    );
    expect(two.targets[1]).toMatchObject({
      output: `${join(ws, ".goflow-build-linux-arm-v7")}/`,
      binaries: [join(ws, "api-linux-arm-v7"), join(ws, "worker-linux-arm-v7")],
    });
    expect(two.targets[1]?.renames[0]).toEqual([
      join(ws, ".goflow-build-linux-arm-v7/api"),
      join(ws, "api-linux-arm-v7"),
    ]);
  });

  it.each([
    [
      "no go.mod",
      (ws: string) => options(join(ws, "nowhere")),
      /no go\.mod in .*nowhere; set working-directory/,
    ],
    [
      "a wildcard package",
      (ws: string) => options(ws, { packages: ["./cmd/..."] }),
      /is a wildcard; list each main package/,
    ],
    [
      "an output outside the workspace",
      (ws: string) => options(ws, { output: "/elsewhere/app" }),
      /is outside .*the folder mounted into the builder/,
    ],
    ["a bad go-version", (ws: string) => options(ws, { goVersion: "latest" }), /go-version is 'latest'/],
    ["a bad build tag", (ws: string) => options(ws, { tags: ["a-b"] }), /build tag 'a-b'/],
    [
      "two packages with one name",
      (ws: string) => options(ws, { packages: ["./a/app", "./b/app"] }),
      /both be built as 'app'/,
    ],
  ])("refuses %s", (_name, make, message) => {
    const ws = workspaceWith({ "go.mod": GO_MOD });
    expect(() => planBuild(make(ws), context(ws))).toThrow(ConfigurationError);
    expect(() => planBuild(make(ws), context(ws))).toThrow(message);
  });

  it("asks for a Go version when go.mod names none and no image is given", () => {
    const ws = workspaceWith({ "go.mod": "module example.com/x\n" });
    expect(() => planBuild(options(ws), context(ws))).toThrow(/go\.mod names no Go version/);
    expect(planBuild(options(ws, { builderImage: "golang:1.24" }), context(ws)).goVersion).toBeUndefined();
  });

  it("sees vendor/modules.txt and the example module", () => {
    const vendored = resolve("test/fixtures/go/modules/vendored");
    const plan = planBuild(options(vendored), context(vendored));
    expect(plan).toMatchObject({ vendored: true, network: "none", hasRequirements: true, baseDir: "." });
  });

  it.each([
    ["a module", "svc", undefined, "host"],
    ["a module", "svc", "bridge", "bridge"],
    ["a vendored module", "vendored", undefined, "none"],
    ["a vendored module", "vendored", "ci-services", "ci-services"],
  ])("runs the containers of %s (network %s) on %s", (_, kind, network, expected) => {
    const dir =
      kind === "vendored"
        ? resolve("test/fixtures/go/modules/vendored")
        : join(workspaceWith({ "svc/go.mod": GO_MOD }), "svc");
    expect(planBuild(options(dir, { network }), context(dir)).network).toBe(expected);
  });
});

describe("listGoSourceFiles", () => {
  it("skips vendor, testdata, dot and underscore folders and nested modules", () => {
    const ws = workspaceWith({
      "go.mod": GO_MOD,
      "main.go": "",
      "internal/a/a.go": "",
      "internal/a/a_test.go": "",
      "internal/a/notes.txt": "",
      "vendor/x/x.go": "",
      "internal/testdata/t.go": "",
      ".git/hooks/h.go": "",
      "_old/o.go": "",
      "tools/go.mod": "module tools\n",
      "tools/t.go": "",
    });
    expect(listGoSourceFiles(ws)).toEqual(["internal/a/a.go", "internal/a/a_test.go", "main.go"]);
  });

  it("lists the unformatted fixture's files the way gofmt must see them", () => {
    const copy = mkdtempSync(join(tmpdir(), "goflow-build-plan-"));
    made.push(copy);
    cpSync(resolve("test/fixtures/go/modules/unformatted"), copy, { recursive: true });
    expect(listGoSourceFiles(copy)).toEqual(["greet.go", "main.go"]);
  });
});
