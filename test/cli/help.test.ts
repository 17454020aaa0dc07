import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands/index.js";

const goflow = (...args: string[]) =>
  spawnSync(process.execPath, ["dist/cli/index.cjs", ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH },
  });

describe("goflow --help", () => {
  it("lists every command", () => {
    const result = goflow("--help");
    expect(result.status).toBe(0);
    for (const name of ["run", "build", "package", "test", "tags"])
      expect(result.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
  });

  it.each(commands.map((command) => command.name))(
    "goflow %s --help explains its usage and options",
    (name) => {
      const result = goflow(name, "--help");
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Usage: goflow ${name}`);
      expect(result.stdout).toMatch(/^\s+--[a-z-]+/m);
    },
  );

  it("rejects an unknown command and an unknown flag with exit code 2", () => {
    expect(goflow("bogus").status).toBe(2);
    const unknownFlag = goflow("run", "--bogus");
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toContain("see 'goflow run --help'");
  });
});
