import { describe, expect, it } from "vitest";
import { builderRunArgs, Docker } from "../../src/runtime/docker.js";
import {
  builderContainerSpec,
  type GoContainerOptions,
  isDockerExecFault,
} from "../../src/runtime/go-container.js";

describe("the builder container's docker run", () => {
  const folders = { home: "/t/go/home", build: "/t/go/build", mod: "/t/go/mod" };
  const runArgs = (extra: Partial<GoContainerOptions> = {}) =>
    builderRunArgs(
      builderContainerSpec({
        docker: new Docker(),
        image: "golang:1.24",
        runId: "42-1-abcd",
        mountRoot: "/ws",
        workdir: "/ws/svc",
        user: { uid: 1001, gid: 118 },
        folders,
        env: { GOFLAGS: "-mod=mod -modcacherw", CGO_ENABLED: "0" },
        network: "host",
        ...extra,
      }),
    );

  it("starts one detached container as the caller, labelled, with the workspace and Go folders at their own paths", () => {
    expect(runArgs()).toEqual([
      "run",
      "--detach",
      "--rm",
      "--pull",
      "never",
      "--name",
      "goflow-go-42-1-abcd",
      "--label",
      "io.goflow.run=42-1-abcd",
      "--user",
      "1001:118",
      "--network",
      "host",
      "--mount",
      "type=bind,source=/ws,target=/ws",
      "--mount",
      "type=bind,source=/t/go/home,target=/t/go/home",
      "--mount",
      "type=bind,source=/t/go/build,target=/t/go/build",
      "--mount",
      "type=bind,source=/t/go/mod,target=/t/go/mod",
      "--workdir",
      "/ws/svc",
      "--env",
      "GOFLAGS=-mod=mod -modcacherw",
      "--env",
      "CGO_ENABLED=0",
      "--env",
      "HOME=/t/go/home",
      "--env",
      "GOCACHE=/t/go/build",
      "--env",
      "GOMODCACHE=/t/go/mod",
      // The image's entrypoint is bypassed: the container only waits for the execs, at most 6 h.
      "--entrypoint",
      "sleep",
      "golang:1.24",
      "21600",
    ]);
  });

  it("cuts the network for vendored builds and mounts the .netrc read-only in HOME", () => {
    const args = runArgs({ network: "none", netrcFile: "/t/netrc/.netrc", user: undefined });
    expect(args[args.indexOf("--network") + 1]).toBe("none");
    expect(args).toContain("type=bind,source=/t/netrc/.netrc,target=/t/go/home/.netrc,readonly");
    expect(args).not.toContain("--user");
  });

  it("names the caller's variables with --env NAME, so their values stay off the command line", () => {
    const proxy = "https://ci:s3cret@proxy.example.com/go";
    const args = runArgs({ passedEnv: { GOPROXY: proxy, GOFLAGS: "-mod=mod", HTTPS_PROXY: proxy } });
    expect(args.join(" ")).not.toContain("s3cret");
    // GOFLAGS is set from the caller's value plus -modcacherw, so it is not passed by name too.
    expect(args.join(" ")).toContain("--env GOPROXY --env HTTPS_PROXY --env GOFLAGS=-mod=mod -modcacherw");
  });
});

describe("isDockerExecFault", () => {
  it.each([
    [
      "go vet found something",
      { exitCode: 1, stderr: "./a.go:3:2: unreachable code\n", timedOut: false },
      false,
    ],
    [
      "gofmt could not parse",
      { exitCode: 2, stderr: "a.go:1:1: expected 'package'\n", timedOut: false },
      false,
    ],
    ["success", { exitCode: 0, stderr: "", timedOut: false }, false],
    [
      "the container is gone",
      {
        exitCode: 1,
        stderr: "Error response from daemon: No such container: goflow-go-1\n",
        timedOut: false,
      },
      true,
    ],
    [
      "the container stopped",
      { exitCode: 1, stderr: "Error response from daemon: container abc is not running\n", timedOut: false },
      true,
    ],
    ["the command cannot run", { exitCode: 126, stderr: "OCI runtime exec failed\n", timedOut: false }, true],
    ["the command is missing", { exitCode: 127, stderr: "", timedOut: false }, true],
    ["a timeout", { exitCode: 143, stderr: "", timedOut: true }, true],
  ])("%s → %s", (_, result, expected) => expect(isDockerExecFault(result)).toBe(expected));
});
