import type { Finding } from "./finding.js";

/**
 * At most `limit` findings, then one notice saying how many were left out:
 * GitHub shows only a few annotations per step, and a flood hides the first,
 * most useful ones.
 */
export function capFindings(
  findings: readonly Finding[],
  limit: number,
  describeRest: (count: number) => string = (count) => `and ${count} more`,
): Finding[] {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`capFindings: limit must be a whole number >= 0, got ${limit}`);
  }
  if (findings.length <= limit) return [...findings];
  return [
    ...findings.slice(0, limit),
    { severity: "notice", message: describeRest(findings.length - limit) },
  ];
}
