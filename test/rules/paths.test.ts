import { describe, expect, it } from "vitest";
import { isInside, relativeToWorkspace } from "../../src/rules/paths.js";

describe("isInside", () => {
  it.each([
    ["/a", "/a", true],
    ["/a", "/a/b", true],
    ["/a", "/ab", false],
    ["/a", "/", false],
    ["/a/b", "/a/b/../c", false],
  ])("%s holds %s: %s", (root, path, expected) => expect(isInside(root, path)).toBe(expected));
});

describe("relativeToWorkspace", () => {
  it.each<[string | undefined, string, string]>([
    ["/w", "/w/cmd/main.go", "cmd/main.go"],
    ["/w", "/w", "."],
    ["/w", "/w/a/../b.go", "b.go"],
    ["/w", "/other/x.go", "/other/x.go"],
    ["/w", "/wx/y.go", "/wx/y.go"],
    ["/w", "tests/users.yml", "tests/users.yml"],
    [undefined, "/w/x.go", "/w/x.go"],
    ["", "/w/x.go", "/w/x.go"],
  ])("in %s, %s → %s", (workspace, path, expected) =>
    expect(relativeToWorkspace(workspace, path)).toBe(expected),
  );
});
