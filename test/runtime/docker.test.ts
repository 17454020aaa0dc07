import { describe, expect, it } from "vitest";
import { PROJECT_CONTAINERS_FORMAT } from "../../src/rules/compose/index.js";
import {
  bindMount,
  builderExecArgs,
  type ComposeScope,
  composeArgs,
  composeBuildArgs,
  composeConfigArgs,
  composeDownArgs,
  composeExecArgs,
  composeKillArgs,
  composeLogsArgs,
  composePortArgs,
  composeUpArgs,
  containerByNameArgs,
  containerRemoveArgs,
  dockerBuildArgs,
  dockerLoadArgs,
  dockerLoginArgs,
  dockerLogoutArgs,
  dockerPushArgs,
  dockerSaveArgs,
  dockerTagArgs,
  imageIdArgs,
  networkIdsArgs,
  networkSubnetsArgs,
  projectContainersArgs,
  removeFolderAsRootArgs,
  repoDigestsArgs,
} from "../../src/runtime/docker.js";

const files: ComposeScope = {
  project: "p-1",
  projectDirectory: "/ws",
  files: ["/ws/compose.yml", "/tmp/images.compose.json"],
};
const byName: ComposeScope = { project: "p-1" };
const FILES_PREFIX = [
  "compose",
  "--ansi",
  "never",
  "--project-name",
  "p-1",
  "--project-directory",
  "/ws",
  "--file",
  "/ws/compose.yml",
  "--file",
  "/tmp/images.compose.json",
];
const NAME_PREFIX = ["compose", "--ansi", "never", "--project-name", "p-1"];

describe("compose argument lists", () => {
  it.each<[string, string[], string[]]>([
    ["scope only", composeArgs(files, []), FILES_PREFIX],
    [
      "config of every profile, without a project name",
      composeConfigArgs({ allProfiles: true, projectDirectory: "/ws", files: ["/ws/a.yml"] }),
      [
        "compose",
        "--ansi",
        "never",
        "--profile",
        "*",
        "--project-directory",
        "/ws",
        "--file",
        "/ws/a.yml",
        "config",
        "--format",
        "json",
      ],
    ],
    [
      "up never builds",
      composeUpArgs(files),
      [...FILES_PREFIX, "up", "--detach", "--quiet-pull", "--no-build"],
    ],
    [
      "build with plain progress",
      composeBuildArgs(files, ["api", "worker"]),
      [...FILES_PREFIX, "--progress", "plain", "build", "api", "worker"],
    ],
    ["port", composePortArgs(files, "api", 9000), [...FILES_PREFIX, "port", "api", "9000"]],
    [
      "exec keeps the command's words",
      composeExecArgs(files, "db", ["mysql", "-e", "INSERT INTO t VALUES ('a; rm -rf /')"]),
      [...FILES_PREFIX, "exec", "-T", "db", "mysql", "-e", "INSERT INTO t VALUES ('a; rm -rf /')"],
    ],
    ["whole logs", composeLogsArgs(files), [...FILES_PREFIX, "logs", "--no-color", "--timestamps"]],
    [
      "a tail of some services' logs",
      composeLogsArgs(files, { tail: 100, services: ["api", "db"] }),
      [...FILES_PREFIX, "logs", "--no-color", "--tail", "100", "api", "db"],
    ],
    ["kill by project name", composeKillArgs(byName), [...NAME_PREFIX, "kill", "--remove-orphans"]],
    [
      "down by project name",
      composeDownArgs(byName, { stopTimeoutSeconds: 0 }),
      [...NAME_PREFIX, "down", "--volumes", "--remove-orphans", "--timeout", "0"],
    ],
    [
      "down with the built images",
      composeDownArgs(files, { stopTimeoutSeconds: 10, removeLocalImages: true }),
      [...FILES_PREFIX, "down", "--volumes", "--remove-orphans", "--rmi", "local", "--timeout", "10"],
    ],
  ])("%s", (_, args, expected) => {
    expect(args).toEqual(expected);
  });
});

describe("dockerBuildArgs", () => {
  it("passes every setting as its own argument, the context last", () => {
    expect(
      dockerBuildArgs({
        dockerfile: "/ws/Dockerfile",
        target: "runtime",
        buildArgs: [["VERSION", "1.2.3; rm -rf /"]],
        context: "/ws",
        references: ["ghcr.io/acme/app:1.2.3", "ghcr.io/acme/app:1"],
        labels: { "org.opencontainers.image.title": "app $(x)" },
        platform: "linux/amd64",
        iidfile: "/tmp/iid",
      }),
    ).toEqual([
      "build",
      "--file",
      "/ws/Dockerfile",
      "--iidfile",
      "/tmp/iid",
      "--platform",
      "linux/amd64",
      "--target",
      "runtime",
      "--build-arg",
      "VERSION=1.2.3; rm -rf /",
      "--label",
      "org.opencontainers.image.title=app $(x)",
      "--tag",
      "ghcr.io/acme/app:1.2.3",
      "--tag",
      "ghcr.io/acme/app:1",
      "/ws",
    ]);
  });

  it("leaves out what is not set", () => {
    expect(
      dockerBuildArgs({
        dockerfile: "/ws/Dockerfile",
        target: undefined,
        buildArgs: [],
        context: "/ws",
        references: ["app:x"],
        labels: {},
        platform: undefined,
        iidfile: "/tmp/iid",
      }),
    ).toEqual(["build", "--file", "/ws/Dockerfile", "--iidfile", "/tmp/iid", "--tag", "app:x", "/ws"]);
  });
});

describe("image argument lists", () => {
  it.each<[string, string[], string[]]>([
    [
      "save",
      dockerSaveArgs("/tmp/image.tar", ["app:1", "app:latest"]),
      ["save", "--output", "/tmp/image.tar", "app:1", "app:latest"],
    ],
    ["load", dockerLoadArgs("/tmp/image.tar"), ["load", "--input", "/tmp/image.tar"]],
    ["tag", dockerTagArgs("sha256:abc", "app:1"), ["tag", "sha256:abc", "app:1"]],
    ["push", dockerPushArgs("app:1"), ["push", "app:1"]],
    [
      "login reads the password from stdin",
      dockerLoginArgs("ghcr.io", "octocat"),
      ["login", "ghcr.io", "--username", "octocat", "--password-stdin"],
    ],
    ["logout", dockerLogoutArgs("ghcr.io"), ["logout", "ghcr.io"]],
    ["image id", imageIdArgs("app:1"), ["image", "inspect", "--format", "{{.Id}}", "app:1"]],
    [
      "repo digests",
      repoDigestsArgs("app:1"),
      ["image", "inspect", "--format", "{{json .RepoDigests}}", "app:1"],
    ],
  ])("%s", (_, args, expected) => {
    expect(args).toEqual(expected);
  });
});

describe("network and cleanup argument lists", () => {
  it.each<[string, string[], string[]]>([
    ["network ids", networkIdsArgs(), ["network", "ls", "--quiet"]],
    [
      "their subnets",
      networkSubnetsArgs(["n1", "n2"]),
      ["network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", "n1", "n2"],
    ],
    [
      "a root container removing a folder containers wrote into",
      removeFolderAsRootArgs({ parent: "/tmp/run", name: "p-1" }, "mysql:8", "local-ab12"),
      [
        "run",
        "--rm",
        "--label",
        "io.goflow.run=local-ab12",
        "--network",
        "none",
        "--user",
        "0:0",
        "--pull",
        "never",
        "--entrypoint",
        "rm",
        "--volume",
        "/tmp/run:/goflow-cleanup",
        "mysql:8",
        "-rf",
        "/goflow-cleanup/p-1",
      ],
    ],
  ])("%s", (_, args, expected) => {
    expect(args).toEqual(expected);
  });
});

describe("projectContainersArgs", () => {
  it("lists the project's containers by compose's labels, without one-off ones, in the format the parser reads", () => {
    expect(projectContainersArgs("p-1")).toEqual([
      "ps",
      "--all",
      "--filter",
      "label=com.docker.compose.project=p-1",
      "--filter",
      "label=com.docker.compose.oneoff=False",
      "--format",
      PROJECT_CONTAINERS_FORMAT,
    ]);
  });
});

describe("Go builder container argv", () => {
  it.each<{ name: string; args: string[]; env: Record<string, string>; want: string[] }>([
    {
      name: "a command, exactly as given (no shell)",
      args: ["go", "vet", "./..."],
      env: {},
      want: ["exec", "goflow-go-1", "go", "vet", "./..."],
    },
    {
      name: "a value with spaces and quotes stays one argument",
      args: ["go", "build", "-ldflags", "-X 'main.v=1 2'", "."],
      env: {},
      want: ["exec", "goflow-go-1", "go", "build", "-ldflags", "-X 'main.v=1 2'", "."],
    },
    {
      name: "a platform's variables for this exec alone, before the container",
      args: ["go", "build", "."],
      env: { GOOS: "windows", GOARCH: "arm64" },
      want: ["exec", "--env", "GOOS=windows", "--env", "GOARCH=arm64", "goflow-go-1", "go", "build", "."],
    },
  ])("exec: $name", ({ args, env, want }) => {
    expect(builderExecArgs("goflow-go-1", args, env)).toEqual(want);
  });

  it("removes by force (what still runs inside is killed) with the anonymous volumes", () => {
    expect(containerRemoveArgs(["goflow-go-1"])).toEqual(["rm", "--force", "--volumes", "goflow-go-1"]);
  });

  it("lists the container of exactly that name, stopped ones too", () => {
    expect(containerByNameArgs("goflow-go-1")).toEqual([
      "ps",
      "--all",
      "--quiet",
      "--filter",
      "name=^goflow-go-1$",
    ]);
  });
});

describe("bindMount", () => {
  it.each([
    [{ source: "/a", target: "/b" }, "type=bind,source=/a,target=/b"],
    [{ source: "/a", target: "/b", readonly: true }, "type=bind,source=/a,target=/b,readonly"],
    [{ source: "/a,b", target: "/a,b", readonly: true }, 'type=bind,"source=/a,b","target=/a,b",readonly'],
    [{ source: '/a"b', target: "/c" }, 'type=bind,"source=/a""b",target=/c'],
  ])("%j → %s", (mount, expected) => expect(bindMount(mount)).toBe(expected));
});
