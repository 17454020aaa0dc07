import { formatDuration } from "../format.js";
import { tableCell } from "./summary-markdown.js";

export type BuildStepName = "dependencies" | "format" | "vet" | "test" | "build" | "artifact";

export interface BuildStepRecord {
  name: BuildStepName;
  status: "passed" | "failed" | "skipped";
  durationMs: number;
  /** What happened, one line. */
  note: string;
}

export interface BuildSummaryInput {
  success: boolean;
  modulePath: string;
  goVersion: string;
  builderImage: string;
  cacheHit: boolean;
  version: string | undefined;
  /** The steps that ran, in order. */
  steps: readonly BuildStepRecord[];
  /** Every step the options asked for, in order: those that did not run are shown as skipped. */
  planned: readonly BuildStepName[];
}

const STEP_ICONS: Record<BuildStepRecord["status"], string> = { passed: "✅", failed: "❌", skipped: "⏭️" };

/** go-build's section of the job summary: the module, the toolchain, and a row per step. */
export function renderBuildSummary(input: BuildSummaryInput): string {
  const ran = new Set(input.steps.map((s) => s.name));
  const rows = [
    ...input.steps,
    ...input.planned
      .filter((name) => !ran.has(name))
      .map(
        (name): BuildStepRecord => ({
          name,
          status: "skipped",
          durationMs: 0,
          note: "not run: an earlier step failed",
        }),
      ),
  ];
  const version = input.version ? `; version ${tableCell(input.version)}` : "";
  return [
    `### go-build: ${tableCell(input.modulePath)} ${input.success ? "✅" : "❌"}`,
    "",
    `Go ${tableCell(input.goVersion)} in \`${tableCell(input.builderImage)}\`; caches ${input.cacheHit ? "hit" : "not hit"}${version}`,
    "",
    "| | Step | Time | |",
    "| --- | --- | ---: | --- |",
    ...rows.map(
      (row) =>
        `| ${STEP_ICONS[row.status]} | ${row.name} | ${row.status === "skipped" ? "" : formatDuration(row.durationMs)} | ${tableCell(row.note)} |`,
    ),
    "",
    "",
  ].join("\n");
}
