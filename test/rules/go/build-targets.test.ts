import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  type BuildTargetsInput,
  packageBinaryName,
  planBuildTargets,
  stageBuildTargets,
} from "../../../src/rules/go/index.js";

const goMod = { module: "example.com/svc/v3" };
const input = (overrides: Partial<BuildTargetsInput> = {}): BuildTargetsInput => ({
  goMod,
  moduleDir: "/ws/svc",
  mountRoot: "/ws",
  packages: ["."],
  output: undefined,
  platforms: [],
  ldflags: "",
  tags: [],
  versionVariable: undefined,
  version: undefined,
  ...overrides,
});
const linux = { os: "linux", arch: "amd64" };
const windows = { os: "windows", arch: "arm64" };

describe("planBuildTargets", () => {
  it.each([
    {
      name: "one package, the builder's platform: what plain go build writes",
      given: {},
      want: [{ platform: undefined, output: "/ws/svc/svc", binaries: ["/ws/svc/svc"], renames: [] }],
    },
    {
      name: "an output relative to the module, trailing slash dropped",
      given: { output: "bin/app/" },
      want: [{ output: "/ws/svc/bin/app", binaries: ["/ws/svc/bin/app"] }],
    },
    {
      name: "one package for two platforms: suffixed, .exe for Windows",
      given: { output: "/ws/out/app", platforms: [linux, windows] },
      want: [
        { platform: linux, output: "/ws/out/app-linux-amd64", binaries: ["/ws/out/app-linux-amd64"] },
        {
          platform: windows,
          output: "/ws/out/app-windows-arm64.exe",
          binaries: ["/ws/out/app-windows-arm64.exe"],
        },
      ],
    },
    {
      name: "a given app.exe for Windows keeps one .exe",
      given: { output: "/ws/out/app.exe", platforms: [windows] },
      want: [{ binaries: ["/ws/out/app.exe"] }],
    },
    {
      name: "several packages, one platform: Go names them in the folder",
      given: { packages: ["./cmd/api", "./cmd/worker"] },
      want: [{ output: "/ws/svc/", binaries: ["/ws/svc/api", "/ws/svc/worker"], renames: [] }],
    },
    {
      name: "several packages and platforms: a staging folder per platform, renamed after",
      given: { packages: ["./cmd/api", "./cmd/worker"], platforms: [linux, windows], output: "dist" },
      want: [
        {
          output: "/ws/svc/dist/.goflow-build-linux-amd64/",
          binaries: ["/ws/svc/dist/api-linux-amd64", "/ws/svc/dist/worker-linux-amd64"],
          renames: [
            ["/ws/svc/dist/.goflow-build-linux-amd64/api", "/ws/svc/dist/api-linux-amd64"],
            ["/ws/svc/dist/.goflow-build-linux-amd64/worker", "/ws/svc/dist/worker-linux-amd64"],
          ],
        },
        {
          output: "/ws/svc/dist/.goflow-build-windows-arm64/",
          renames: [
            ["/ws/svc/dist/.goflow-build-windows-arm64/api.exe", "/ws/svc/dist/api-windows-arm64.exe"],
            ["/ws/svc/dist/.goflow-build-windows-arm64/worker.exe", "/ws/svc/dist/worker-windows-arm64.exe"],
          ],
        },
      ],
    },
  ])("$name", ({ given, want }) => {
    expect(planBuildTargets(input(given))).toMatchObject(want);
  });

  it("builds each target's go arguments with its own -o and the stamped version", () => {
    const [target] = planBuildTargets(
      input({ versionVariable: "main.version", version: "1.4.0-rc.7", tags: ["netgo"] }),
    );
    expect(target?.args[0]).toBe("build");
    expect(target?.args).toContain("-trimpath");
    expect(target?.args.join(" ")).toContain("-X main.version=1.4.0-rc.7");
    expect(target?.args.slice(-3)).toEqual(["-o", "/ws/svc/svc", "."]);
  });

  it.each([
    ["a wildcard", { packages: ["./..."] }, /packages entry '\.\/\.\.\.' is a wildcard/],
    ["two binaries of one name", { packages: ["./a/cli", "./b/cli"] }, /both be built as 'cli'/],
    ["an output outside the mount", { output: "/elsewhere/app" }, /outside \/ws, the folder mounted/],
    ["a build tag go refuses", { tags: ["bad tag"] }, /tag/],
  ])("refuses %s before anything runs", (_, given, message) => {
    expect(() => planBuildTargets(input(given))).toThrow(ConfigurationError);
    expect(() => planBuildTargets(input(given))).toThrow(message);
  });
});

describe("packageBinaryName", () => {
  it.each([
    [".", "svc"],
    ["./", "svc"],
    ["./cmd/api", "api"],
    ["./cmd/api/", "api"],
    ["./cmd/tool/v2", "tool"],
    ["example.com/other/cli", "cli"],
    ["example.com/other/v2", "other"],
  ])("%s → %s", (pattern, name) => expect(packageBinaryName(pattern, goMod)).toBe(name));
});

describe("stageBuildTargets", () => {
  const staged = (given: Partial<BuildTargetsInput>) =>
    stageBuildTargets(planBuildTargets(input(given)), "/tmp/stage");

  it.each([
    {
      name: "one package: built as a file in the target's folder, then moved to its path",
      given: {},
      want: [
        {
          output: "/tmp/stage/0/svc",
          binaries: ["/ws/svc/svc"],
          renames: [["/tmp/stage/0/svc", "/ws/svc/svc"]],
        },
      ],
    },
    {
      name: "several packages, one platform: Go's names in the folder, each moved",
      given: { packages: ["./cmd/api", "./cmd/worker"], platforms: [windows] },
      want: [
        {
          output: "/tmp/stage/0/",
          renames: [
            ["/tmp/stage/0/api.exe", "/ws/svc/api.exe"],
            ["/tmp/stage/0/worker.exe", "/ws/svc/worker.exe"],
          ],
        },
      ],
    },
    {
      name: "several packages and platforms: the plan's renames, from a folder per target",
      given: { packages: ["./cmd/api", "./cmd/worker"], platforms: [linux, windows], output: "dist" },
      want: [
        {
          output: "/tmp/stage/0/",
          renames: [
            ["/tmp/stage/0/api", "/ws/svc/dist/api-linux-amd64"],
            ["/tmp/stage/0/worker", "/ws/svc/dist/worker-linux-amd64"],
          ],
        },
        {
          output: "/tmp/stage/1/",
          renames: [
            ["/tmp/stage/1/api.exe", "/ws/svc/dist/api-windows-arm64.exe"],
            ["/tmp/stage/1/worker.exe", "/ws/svc/dist/worker-windows-arm64.exe"],
          ],
        },
      ],
    },
  ])("$name", ({ given, want }) => {
    expect(staged(given)).toMatchObject(want);
  });

  it("changes only the -o value of the go arguments, even when an ldflags value is '-o'", () => {
    const [planned] = planBuildTargets(input({ ldflags: "-o" }));
    const [target] = staged({ ldflags: "-o" });
    expect(target?.args.slice(-3)).toEqual(["-o", "/tmp/stage/0/svc", "."]);
    expect(target?.args.slice(0, -2)).toEqual(planned?.args.slice(0, -2));
  });
});
