import { describe, expect, it } from "vitest";
import { type BuildSummaryInput, renderBuildSummary } from "../../../src/rules/report/build-summary.js";

const input = (overrides: Partial<BuildSummaryInput> = {}): BuildSummaryInput => ({
  success: true,
  modulePath: "example.com/go-auth",
  goVersion: "1.24",
  builderImage: "golang:1.24",
  cacheHit: true,
  version: "develop",
  steps: [
    { name: "dependencies", status: "passed", durationMs: 12, note: "nothing to download" },
    { name: "build", status: "passed", durationMs: 1_500, note: "/ws/go-auth (9.1 MB)" },
  ],
  planned: ["dependencies", "build"],
  ...overrides,
});

describe("renderBuildSummary", () => {
  it("heads with the module and toolchain, then a row per step with its time", () => {
    expect(renderBuildSummary(input())).toBe(
      [
        "### go-build: example.com/go-auth ✅",
        "",
        "Go 1.24 in `golang:1.24`; caches hit; version develop",
        "",
        "| | Step | Time | |",
        "| --- | --- | ---: | --- |",
        "| ✅ | dependencies | 12 ms | nothing to download |",
        "| ✅ | build | 1.5 s | /ws/go-auth (9.1 MB) |",
        "",
        "",
      ].join("\n"),
    );
  });

  it("shows the planned steps a failure stopped as skipped, without a time", () => {
    const text = renderBuildSummary(
      input({
        success: false,
        cacheHit: false,
        version: undefined,
        steps: [{ name: "vet", status: "failed", durationMs: 800, note: "go vet reported 2 problems" }],
        planned: ["vet", "test", "build"],
      }),
    );
    expect(text).toContain("### go-build: example.com/go-auth ❌");
    expect(text).toContain("Go 1.24 in `golang:1.24`; caches not hit\n");
    expect(text).toContain("| ❌ | vet | 800 ms | go vet reported 2 problems |");
    expect(text).toContain("| ⏭️ | test |  | not run: an earlier step failed |");
    expect(text).toContain("| ⏭️ | build |  | not run: an earlier step failed |");
  });

  it("escapes what the module, image and notes could break the table with", () => {
    const text = renderBuildSummary(
      input({
        builderImage: "reg|istry/go:1",
        steps: [{ name: "format", status: "failed", durationMs: 1, note: "a|b.go is not gofmt-formatted" }],
        planned: ["format"],
      }),
    );
    expect(text).not.toContain("a|b.go");
    expect(text).not.toContain("reg|istry");
  });
});
