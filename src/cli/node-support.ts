/**
 * The Node.js lines the CLI runs on: every line still in support (22 and 24
 * on 2026-12-01; 20 reached its end of life on 2026-04-30). package.json's
 * `engines` says the same, and a test keeps them equal.
 */
export const OLDEST_SUPPORTED_NODE_MAJOR = 22;

/** Why `version` (process.version, "v20.20.2") cannot run goflow, or undefined when it can. */
export function describeUnsupportedNode(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (Number.isInteger(major) && major >= OLDEST_SUPPORTED_NODE_MAJOR) return undefined;
  return [
    `goflow needs Node.js ${OLDEST_SUPPORTED_NODE_MAJOR} or newer; this is Node.js ${version}, which is past its end of life.`,
    `Install a supported line (${OLDEST_SUPPORTED_NODE_MAJOR} or 24, the one GitHub runs the actions on) and run goflow again.`,
  ].join(" ");
}
