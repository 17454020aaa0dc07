import { describe, expect, it } from "vitest";
import { type PipelineResult, renderPipelineSummary } from "../../../src/stages/pipeline/stage.js";

describe("renderPipelineSummary", () => {
  const result = (overrides: Partial<PipelineResult>): PipelineResult => ({
    status: "failure",
    failure: undefined,
    stages: [],
    build: undefined,
    package: undefined,
    test: undefined,
    ...overrides,
  });

  it.each<[string, PipelineResult, string[]]>([
    [
      "a passed run with a skipped publish",
      result({
        status: "ok",
        stages: [
          { stage: "build", status: "passed", durationMs: 3_500, detail: "1 binary" },
          {
            stage: "publish",
            status: "skipped",
            durationMs: 0,
            detail: "feature branch: built and tested, not published",
          },
        ],
      }),
      [
        "### goflow pipeline: passed",
        "| build | ✅ passed | 3.5 s | 1 binary |",
        "| publish | ⏭️ skipped |  | feature branch: built and tested, not published |",
      ],
    ],
    [
      "a failure whose detail holds a pipe and a newline",
      result({ stages: [{ stage: "test", status: "failed", durationMs: 900, detail: "a | b\nc" }] }),
      ["### goflow pipeline: failed", "| test | ❌ failed | 900 ms | a \\| b c |"],
    ],
  ])("%s", (_name, value, lines) => {
    const markdown = renderPipelineSummary(value);
    for (const line of lines) expect(markdown).toContain(line);
  });
});
