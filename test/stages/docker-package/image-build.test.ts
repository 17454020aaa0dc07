import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isExecutableFile } from "../../../src/stages/docker-package/image-build.js";

describe("isExecutableFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "goflow-exec-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    chmodSync(path, 0o644);
    return path;
  };

  it.each<[string, Buffer | string, boolean]>([
    ["an ELF binary", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), true],
    ["a script", "#!/bin/sh\necho hi\n", true],
    ["a config file", "listen: 9000\n", false],
    ["an empty file", "", false],
    ["one byte", "#", false],
  ])("%s: %s", (name, content, expected) => {
    expect(isExecutableFile(file(name.replace(/\W+/g, "-"), content))).toBe(expected);
  });
});
