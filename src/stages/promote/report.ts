import { tableCell } from "../../rules/report/index.js";
import type { PromoteResult } from "./stage.js";

/** The action's outputs, by output name. */
export function promoteOutputs(result: PromoteResult): Record<string, string> {
  return {
    image: result.image,
    digest: result.digest,
    "previous-digest": result.previousDigest ?? "",
    tags: result.tags.map((move) => move.tag).join("\n"),
    commit: result.commit ?? "",
    changed: String(result.changed),
  };
}

/** The job summary: what the environment runs now, what it ran before (the rollback), and what changed. */
export function renderPromoteSummary(environment: string, result: PromoteResult): string {
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  const tagCell = result.tags
    .map(
      (move) =>
        `${code(move.tag)} ${move.action === "unchanged" ? "(already there)" : move.action === "move" ? "(moved)" : "(new)"}`,
    )
    .join("<br>");
  const rows: [string, string][] = [
    ["image", code(result.image)],
    ["previous", result.previousDigest ? code(result.previousDigest) : "none"],
    ["tags", tagCell || "none"],
    ["commit", result.commit ? code(result.commit) : result.changed ? "none" : "none (already pinned)"],
  ];
  const table = [
    "| | |",
    "| --- | --- |",
    ...rows.map(([name, value]) => `| ${name} | ${tableCell(value)} |`),
  ];
  const headline = result.changed
    ? `### Promoted to ${tableCell(environment)}`
    : `### ${tableCell(environment)} already runs this image`;
  return [headline, "", ...table, ""].join("\n");
}
