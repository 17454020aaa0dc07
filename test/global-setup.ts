/**
 * Node 24 is the runtime of record: GitHub runs the actions on it. Under CI the
 * whole suite must run on it too (.ci/run puts the pinned binary first on
 * PATH); a developer on another Node is told, since their results may differ.
 * The actions and the CLI themselves always run on the pinned binaries
 * (test/harness/node-binary.ts), whatever runs the suite.
 */
export default function checkSuiteNode(): void {
  if (process.versions.node.split(".")[0] === "24") return;
  const message = `the test suite runs on Node ${process.version}, not on Node 24: run \`npm run setup:node\` and put its Node 24 first on PATH (see CONTRIBUTING.md)`;
  if (process.env.CI) throw new Error(message);
  console.warn(`warning: ${message}`);
}
