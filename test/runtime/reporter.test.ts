import { describe, expect, it } from "vitest";
import { HeldReporter, RecordingReporter } from "../../src/runtime/reporter.js";

describe("HeldReporter", () => {
  it("holds lines, annotations and summary until released, then writes them in order, once", async () => {
    const target = new RecordingReporter();
    const held = new HeldReporter(target);
    held.info("go vet ./...");
    held.warning("slow");
    held.annotate({ severity: "error", title: "go vet", message: "unreachable code" });
    await held.appendSummary("| vet |");
    await held.group("inner", async () => held.debug("inside"));
    expect(target.lines).toEqual([]);
    expect(target.findings).toEqual([]);
    expect(target.summary).toBe("");

    target.info("group: vet");
    await held.release();
    expect(target.lines).toEqual(["group: vet", "go vet ./...", "warning: slow", "inner", "debug: inside"]);
    expect(target.findings.map((finding) => finding.message)).toEqual(["unreachable code"]);
    expect(target.summary).toBe("| vet |");
    await held.release();
    expect(target.lines).toHaveLength(5);
  });

  it("passes secrets and outputs straight through: a secret is masked before any held line shows", () => {
    const target = new RecordingReporter();
    const held = new HeldReporter(target);
    held.setSecret("s3cret");
    held.setOutput("binary", "/ws/app");
    expect(target.secrets).toEqual(["s3cret"]);
    expect(target.outputs).toEqual({ binary: "/ws/app" });
  });
});
