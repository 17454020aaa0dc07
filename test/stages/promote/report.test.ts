import { describe, expect, it } from "vitest";
import { promoteOutputs, renderPromoteSummary } from "../../../src/stages/promote/report.js";
import type { PromoteResult } from "../../../src/stages/promote/stage.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const result: PromoteResult = {
  status: "ok",
  failure: undefined,
  image: `ghcr.io/acme/go-auth@${A}`,
  digest: A,
  previousDigest: B,
  tags: [
    { tag: "staging", previous: B, action: "move" },
    { tag: "1.2", previous: undefined, action: "create" },
  ],
  commit: "c".repeat(40),
  changed: true,
};

describe("promote's outputs and summary", () => {
  it("gives the rollback digest and the tags as outputs", () => {
    expect(promoteOutputs(result)).toEqual({
      image: `ghcr.io/acme/go-auth@${A}`,
      digest: A,
      "previous-digest": B,
      tags: "staging\n1.2",
      commit: "c".repeat(40),
      changed: "true",
    });
    expect(
      promoteOutputs({ ...result, previousDigest: undefined, commit: undefined, changed: false }),
    ).toMatchObject({
      "previous-digest": "",
      commit: "",
      changed: "false",
    });
  });

  it.each([
    {
      name: "a promotion",
      given: result,
      lines: [
        "### Promoted to staging",
        `| previous | \`${B}\` |`,
        "| tags | `staging` (moved)<br>`1.2` (new) |",
      ],
    },
    {
      name: "nothing to do",
      given: { ...result, changed: false, commit: undefined, tags: [] },
      lines: ["### staging already runs this image", "| commit | none (already pinned) |", "| tags | none |"],
    },
  ])("summarises $name", ({ given, lines }) => {
    const summary = renderPromoteSummary("staging", given);
    for (const line of lines) expect(summary).toContain(line);
  });
});
