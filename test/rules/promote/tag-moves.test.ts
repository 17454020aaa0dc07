import { describe, expect, it } from "vitest";
import {
  isReleaseVersionTag,
  planTagMoves,
  renderCommitMessage,
} from "../../../src/rules/promote/tag-moves.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;

describe("isReleaseVersionTag", () => {
  it.each([
    ["1.2.3", true],
    ["v1.2.3", true],
    ["1.2.3-rc.1", true],
    ["1.2", false],
    ["1", false],
    ["latest", false],
    ["staging", false],
    ["sha-abc1234", false],
  ])("%s → %s", (tag, expected) => {
    expect(isReleaseVersionTag(tag)).toBe(expected);
  });
});

describe("planTagMoves", () => {
  it.each([
    {
      name: "a new tag",
      current: [],
      tags: ["staging"],
      moves: [{ tag: "staging", previous: undefined, action: "create" }],
    },
    {
      name: "an environment tag moves",
      current: [["staging", B]],
      tags: ["staging"],
      moves: [{ tag: "staging", previous: B, action: "move" }],
    },
    {
      name: "a floating version tag moves",
      current: [["1.2", B]],
      tags: ["1.2"],
      moves: [{ tag: "1.2", previous: B, action: "move" }],
    },
    {
      name: "a release tag already there",
      current: [["1.2.3", A]],
      tags: ["1.2.3"],
      moves: [{ tag: "1.2.3", previous: A, action: "unchanged" }],
    },
  ] as const)("$name", ({ current, tags, moves }) => {
    expect(planTagMoves(tags, new Map(current), A)).toEqual(moves);
  });

  it("refuses to move a release-version tag, whatever else the promotion does", () => {
    expect(() => planTagMoves(["production", "v1.2.3"], new Map([["v1.2.3", B]]), A)).toThrow(
      `tag 'v1.2.3' already points at ${B}; release-version tags are immutable, so goflow will not move it to ${A}`,
    );
  });
});

describe("renderCommitMessage", () => {
  const values = {
    environment: "staging",
    image: "ghcr.io/acme/go-auth",
    digest: A,
    version: "1.2.3",
    "run-url": "https://github.com/acme/go-auth/actions/runs/1",
  };

  it.each([
    {
      name: "the default names the environment, version, digest and run",
      template: "",
      values,
      expected: `goflow: promote ghcr.io/acme/go-auth 1.2.3 to staging\n\nghcr.io/acme/go-auth@${A}\nRun: https://github.com/acme/go-auth/actions/runs/1`,
    },
    {
      name: "without a version or run URL nothing dangles",
      template: "",
      values: { ...values, version: "", "run-url": "" },
      expected: `goflow: promote ghcr.io/acme/go-auth to staging\n\nghcr.io/acme/go-auth@${A}`,
    },
    {
      name: "a custom template",
      template: "deploy({environment}): {digest}",
      values,
      expected: `deploy(staging): ${A}`,
    },
  ])("$name", ({ template, values: given, expected }) => {
    expect(renderCommitMessage(template, given)).toBe(expected);
  });

  it("refuses an unknown placeholder", () => {
    expect(() => renderCommitMessage("{env}", values)).toThrow("commit-message: unknown placeholder {env}");
  });
});
