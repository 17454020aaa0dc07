import { describe, expect, it } from "vitest";
import { Docker } from "../../src/runtime/docker.js";
import { bindMount, GoContainer } from "../../src/runtime/go-container.js";

describe("GoContainer.dockerArgs", () => {
  const folders = { home: "/t/go/home", build: "/t/go/build", mod: "/t/go/mod" };
  const container = (extra: Partial<ConstructorParameters<typeof GoContainer>[0]> = {}) =>
    new GoContainer({
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
    });

  it("runs the command as the caller, labelled, with the workspace and Go folders at their own paths", () => {
    expect(container().dockerArgs(["go", "vet", "./..."], { GOOS: "linux" })).toEqual([
      "run",
      "--rm",
      "--pull",
      "never",
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
      "--env",
      "GOOS=linux",
      "--entrypoint",
      "go",
      "golang:1.24",
      "vet",
      "./...",
    ]);
  });

  it("cuts the network for vendored builds and mounts the .netrc read-only in HOME", () => {
    const args = container({ network: "none", netrcFile: "/t/netrc/.netrc", user: undefined }).dockerArgs([
      "gofmt",
      "-l",
      "a.go",
    ]);
    expect(args).toContain("--network");
    expect(args[args.indexOf("--network") + 1]).toBe("none");
    expect(args).toContain("type=bind,source=/t/netrc/.netrc,target=/t/go/home/.netrc,readonly");
    expect(args).not.toContain("--user");
    expect(args.slice(-4)).toEqual(["gofmt", "golang:1.24", "-l", "a.go"]);
  });

  it("names the caller's variables with --env NAME, so their values stay off the command line", () => {
    const proxy = "https://ci:s3cret@proxy.example.com/go";
    const args = container({
      passedEnv: { GOPROXY: proxy, GOFLAGS: "-mod=mod", HTTPS_PROXY: proxy },
    }).dockerArgs(["go", "mod", "download"]);
    expect(args.join(" ")).not.toContain("s3cret");
    expect(args.join(" ")).toContain("--env GOPROXY --env HTTPS_PROXY --env GOFLAGS=-mod=mod -modcacherw");
  });
});

describe("bindMount", () => {
  it("quotes CSV fields holding commas or quotes", () => {
    expect(bindMount("/a,b", "/a,b", true)).toBe('type=bind,"source=/a,b","target=/a,b",readonly');
    expect(bindMount('/a"b', "/c")).toBe('type=bind,"source=/a""b",target=/c');
  });
});
