// Before a release moves the major tag: every reference to the toolkit's own actions and
// workflow (in the reusable workflow, the examples and the README) must use that major,
// and CHANGELOG.md must have an entry for the version.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const tag = process.argv[2] ?? "";
const match = /^v(\d+)\.\d+\.\d+$/.exec(tag);
if (!match) {
  console.error(`usage: check-release.mjs vMAJOR.MINOR.PATCH (got '${tag}')`);
  process.exit(2);
}
const major = `v${match[1]}`;
const files = [
  "README.md",
  ...[".github/workflows", "examples/workflows"].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".yml"))
      .map((name) => join(dir, name)),
  ),
];
const problems = [];
for (const file of files) {
  for (const [, ref] of readFileSync(file, "utf8").matchAll(
    /goflow-ci\/goflow-actions\/[\w./-]+@([\w.-]+)/g,
  )) {
    if (ref !== major) problems.push(`${file}: references @${ref}, expected @${major}`);
  }
}
const version = tag.slice(1);
if (!readFileSync("CHANGELOG.md", "utf8").includes(`## ${version}`))
  problems.push(`CHANGELOG.md has no '## ${version}' entry`);
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`release ${tag}: references and changelog are consistent with ${major}`);
