import { describe, expect, it } from "vitest";
import { environmentInputs, flagInputs } from "../../src/options/input-source.js";
import { readPromoteOptions, runUrlFrom } from "../../src/options/promote.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const BASE = { image: "ghcr.io/acme/go-auth", digest: DIGEST, environment: "staging" };

/** The same values as INPUT_* and as the CLI's flags: both doors must read them alike. */
const doors = (values: Readonly<Record<string, string | undefined>>) =>
  [
    [
      "with:",
      environmentInputs(
        Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      ),
    ],
    ["flags", flagInputs(values)],
  ] as const;

describe("readPromoteOptions", () => {
  it.each(doors(BASE))("the defaults, through %s", (_, door) => {
    expect(readPromoteOptions(door, {})).toEqual({
      image: "ghcr.io/acme/go-auth",
      target: { digest: DIGEST },
      environment: "staging",
      tags: ["staging"],
      commitMessage: "",
      requireTested: true,
    });
  });

  it.each([
    {
      name: "tags listed",
      values: { tags: "staging\nqa, 1.2" },
      expected: { tags: ["staging", "qa", "1.2"] },
    },
    { name: "no tag", values: { tags: "none" }, expected: { tags: [] } },
    {
      name: "source instead of digest",
      values: { digest: "", source: "ghcr.io/acme/go-auth:develop" },
      expected: { target: { source: "ghcr.io/acme/go-auth:develop" } },
    },
    {
      name: "credentials",
      values: { username: "ci", password: "t" },
      expected: { credentials: { username: "ci", password: "t" } },
    },
    {
      name: "GitOps",
      values: {
        "gitops-repository": "https://github.com/acme/env.git",
        "gitops-files": "a.yaml\nb.yaml",
        "gitops-key": "image.digest",
        "gitops-token": "tok",
        "gitops-branch": "live",
      },
      expected: {
        gitops: {
          repository: "https://github.com/acme/env.git",
          files: ["a.yaml", "b.yaml"],
          key: "image.digest",
          token: "tok",
          branch: "live",
        },
      },
    },
    { name: "require-tested off", values: { "require-tested": "false" }, expected: { requireTested: false } },
    { name: "version", values: { version: "1.2.3" }, expected: { version: "1.2.3" } },
  ])("$name", ({ values, expected }) => {
    for (const [, door] of doors({ ...BASE, ...values }))
      expect(readPromoteOptions(door, {})).toMatchObject(expected);
  });

  it.each([
    { name: "no image", values: { image: "" }, error: "input 'image' is required" },
    { name: "an image with a tag", values: { image: "ghcr.io/acme/go-auth:1" }, error: "remove the tag" },
    {
      name: "neither digest nor source",
      values: { digest: "" },
      error: "input 'digest' is required (or 'source')",
    },
    {
      name: "both",
      values: { source: "ghcr.io/acme/go-auth:develop" },
      error: "give digest or source, not both",
    },
    {
      name: "a short digest",
      values: { digest: "sha256:abc" },
      error: "digest 'sha256:abc' is not an image digest",
    },
    { name: "no environment", values: { environment: "" }, error: "input 'environment' is required" },
    {
      name: "an environment with a space",
      values: { environment: "pre prod" },
      error: "environment 'pre prod': use letters",
    },
    { name: "a bad tag", values: { tags: "Stag ing" }, error: "Stag ing" },
    { name: "a username alone", values: { username: "ci" }, error: "username is set but password is empty" },
    {
      name: "files without a repository",
      values: { "gitops-files": "a.yaml" },
      error: "gitops-files is set but gitops-repository is empty",
    },
    {
      name: "a repository without files",
      values: { "gitops-repository": "file:///env.git" },
      error: "gitops-repository is set but gitops-files is empty",
    },
    {
      name: "require-tested sometimes",
      values: { "require-tested": "sometimes" },
      error: "input 'require-tested' is 'sometimes'; use true or false",
    },
  ])("refuses $name", ({ values, error }) => {
    for (const [, door] of doors({ ...BASE, ...values }))
      expect(() => readPromoteOptions(door, {})).toThrow(error);
  });

  it("names the run in the commit message on a runner", () => {
    const env = {
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/go-auth",
      GITHUB_RUN_ID: "42",
    };
    expect(runUrlFrom(env)).toBe("https://github.com/acme/go-auth/actions/runs/42");
    expect(readPromoteOptions(flagInputs(BASE), env).runUrl).toBe(
      "https://github.com/acme/go-auth/actions/runs/42",
    );
    expect(runUrlFrom({ GITHUB_REPOSITORY: "acme/go-auth" })).toBeUndefined();
  });
});
