import { describe, expect, it } from "vitest";
import {
  bindMount,
  builderExecArgs,
  containerByNameArgs,
  containerRemoveArgs,
} from "../../src/runtime/docker.js";

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
