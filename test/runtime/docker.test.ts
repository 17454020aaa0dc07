import { describe, expect, it } from "vitest";
import {
  type ComposeScope,
  composeArgs,
  composeBuildArgs,
  composeConfigArgs,
  composeDownArgs,
  composeExecArgs,
  composeKillArgs,
  composeLogsArgs,
  composePortArgs,
  composePsArgs,
  composeUpArgs,
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
    ["ps of every container", composePsArgs(files), [...FILES_PREFIX, "ps", "--all", "--format", "json"]],
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
