import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  type ArtifactTransport,
  LocalArtifactTransport,
  listRegularFiles,
  StagedArtifactStore,
} from "../../src/runtime/artifact.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function folder(): string {
  const root = mkdtempSync(join(tmpdir(), "goflow-artifact-test-"));
  roots.push(root);
  return root;
}

/**
 * A checkout like the one the package job downloads its binaries into: .git,
 * a committed 644 `#!` script, a dangling symlink. None of it is the artifact.
 */
function checkout(): string {
  const root = folder();
  mkdirSync(join(root, ".git"));
  writeFileSync(join(root, ".git", "config"), "[core]\n");
  mkdirSync(join(root, "scripts"));
  writeFileSync(join(root, "scripts", "notes.sh"), "#!/bin/sh\necho notes\n");
  chmodSync(join(root, "scripts", "notes.sh"), 0o644);
  symlinkSync("../build/generated-docs", join(root, "docs-latest"));
  return root;
}

/** A transport that writes fixed files, as @actions/artifact extracts a zip into the folder it is given. */
function transportWriting(files: Record<string, string>): ArtifactTransport & { folders: string[] } {
  const folders: string[] = [];
  return {
    kind: "github",
    folders,
    upload: async () => "1",
    fetchInto: async (_name, into) => {
      folders.push(into);
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(join(into, path, ".."), { recursive: true });
        writeFileSync(join(into, path), content);
      }
    },
  };
}

describe("StagedArtifactStore.download", () => {
  let temp: string;
  beforeEach(() => {
    temp = folder();
  });

  it("returns the artifact's own files, never what the destination held", async () => {
    const destination = checkout();
    const store = new StagedArtifactStore(transportWriting({ "go-auth": "\x7fELF", "bin/tool": "x" }), temp);
    const files = await store.download("goflow-binaries", destination);
    expect(files).toEqual([join(destination, "bin", "tool"), join(destination, "go-auth")]);
    expect(readFileSync(join(destination, "go-auth"), "utf8")).toBe("\x7fELF");
    // The checkout is as it was: the script keeps its mode.
    expect(statSync(join(destination, "scripts", "notes.sh")).mode & 0o777).toBe(0o644);
  });

  it("fetches into a fresh, empty folder of its own and removes it afterwards", async () => {
    const transport = transportWriting({ a: "a" });
    const store = new StagedArtifactStore(transport, temp);
    const destination = checkout();
    await store.download("x", destination);
    await store.download("x", destination);
    const [first, second] = transport.folders;
    expect(first).not.toBe(second);
    expect(first?.startsWith(temp)).toBe(true);
    expect(listRegularFiles(temp)).toEqual([]);
  });

  it("returns [] for an empty artifact, so the caller's 'is empty' check can fire", async () => {
    const store = new StagedArtifactStore(transportWriting({}), temp);
    expect(await store.download("empty", checkout())).toEqual([]);
  });

  it("replaces a symlink at an artifact path instead of writing through it", async () => {
    const destination = checkout();
    const outside = join(folder(), "victim");
    writeFileSync(outside, "untouched");
    symlinkSync(outside, join(destination, "go-auth"));
    const store = new StagedArtifactStore(transportWriting({ "go-auth": "binary" }), temp);
    await store.download("b", destination);
    expect(readFileSync(outside, "utf8")).toBe("untouched");
    expect(readFileSync(join(destination, "go-auth"), "utf8")).toBe("binary");
  });

  it("the local transport round-trips through the same staging, an empty upload included", async () => {
    const root = folder();
    const source = folder();
    writeFileSync(join(source, "go-auth"), "bin");
    const store = new StagedArtifactStore(new LocalArtifactTransport(root), temp);
    await store.upload("binaries", [join(source, "go-auth")], source);
    await store.upload("nothing", [], source);
    const destination = checkout();
    expect(await store.download("binaries", destination)).toEqual([join(destination, "go-auth")]);
    expect(await store.download("nothing", destination)).toEqual([]);
    await expect(store.download("missing", destination)).rejects.toThrow(/was not found/);
  });
});

describe("listRegularFiles", () => {
  it("lists regular files, sorted, and never follows or lists a symlink (dangling or not)", () => {
    const root = checkout();
    symlinkSync(join(root, ".git"), join(root, "git-link"));
    expect(listRegularFiles(root)).toEqual([join(root, ".git", "config"), join(root, "scripts", "notes.sh")]);
  });
});
