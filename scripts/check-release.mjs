// Before a release moves the major tag:
// - the reusable workflow runs the toolkit's actions of its own commit: no step names one as
//   goflow-ci/goflow-actions/actions/<name>@<ref> (that runs <ref>'s code whatever the caller pinned
//   pipeline.yml to); each `uses: ./.goflow-actions/actions/<name>` names an action of actions/, and
//   its job checks job.workflow_repository at job.workflow_sha out into .goflow-actions before it;
// - every other reference to the toolkit (the README's and the examples' pipeline.yml@v1) uses the
//   release's major;
// - CHANGELOG.md has an entry for the version.
// Runs in the current directory (the repository root).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const tag = process.argv[2] ?? "";
const match = /^v(\d+)\.\d+\.\d+$/.exec(tag);
if (!match) {
  console.error(`usage: check-release.mjs vMAJOR.MINOR.PATCH (got '${tag}')`);
  process.exit(2);
}
const major = `v${match[1]}`;
const PIPELINE = ".github/workflows/pipeline.yml";
const TOOLKIT_FOLDER = ".goflow-actions";
const LOCAL_USES = /^\.\/\.goflow-actions\/actions\/([^/]+)$/;
const REMOTE_ACTION = /goflow-ci\/goflow-actions\/actions\/([\w.-]+)@([\w.-]+)/g;

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
  const text = readFileSync(file, "utf8");
  if (file === PIPELINE)
    for (const [reference, name, ref] of text.matchAll(REMOTE_ACTION))
      problems.push(
        `${file}: ${reference} runs ${ref}'s code whatever the caller pinned; use ./${TOOLKIT_FOLDER}/actions/${name}`,
      );
  for (const [reference, ref] of text.matchAll(/goflow-ci\/goflow-actions\/[\w./-]+@([\w.-]+)/g)) {
    if (file === PIPELINE && reference.startsWith("goflow-ci/goflow-actions/actions/")) continue;
    if (ref !== major) problems.push(`${file}: references @${ref}, expected @${major}`);
  }
}
problems.push(...checkSelfCheckout(PIPELINE));

const version = tag.slice(1);
if (!readFileSync("CHANGELOG.md", "utf8").includes(`## ${version}`))
  problems.push(`CHANGELOG.md has no '## ${version}' entry`);
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(
  `release ${tag}: pipeline.yml runs its own commit's actions; references and changelog are consistent with ${major}`,
);

/** Each job's ./.goflow-actions/actions/<name> steps: an existing action, after the toolkit checkout. */
function checkSelfCheckout(file) {
  const found = [];
  const workflow = parse(readFileSync(file, "utf8"));
  for (const [jobId, job] of Object.entries(workflow?.jobs ?? {})) {
    const steps = Array.isArray(job?.steps) ? job.steps : [];
    let checkedOut = false;
    for (const [index, step] of steps.entries()) {
      const uses = typeof step?.uses === "string" ? step.uses.trim() : "";
      if (isToolkitCheckout(uses, step.with)) checkedOut = true;
      if (!uses.startsWith(`./${TOOLKIT_FOLDER}/`)) continue;
      const where = `${file}: jobs.${jobId}.steps[${index}]`;
      const name = LOCAL_USES.exec(uses)?.[1];
      if (!name || !existsSync(join("actions", name, "action.yml")))
        found.push(`${where}: ${uses} is not an action of actions/ (no actions/${name ?? "?"}/action.yml)`);
      if (!checkedOut)
        found.push(
          `${where}: ${uses} runs before the job checks the toolkit out (actions/checkout with repository: \${{ job.workflow_repository }}, ref: \${{ job.workflow_sha }}, path: ${TOOLKIT_FOLDER})`,
        );
    }
  }
  return found;
}

function isToolkitCheckout(uses, given) {
  const expression = (value) => String(value ?? "").replace(/\s+/g, "");
  return (
    /^actions\/checkout@/.test(uses) &&
    expression(given?.repository) === "${{job.workflow_repository}}" &&
    expression(given?.ref) === "${{job.workflow_sha}}" &&
    String(given?.path ?? "")
      .replace(/^\.\//, "")
      .replace(/\/$/, "") === TOOLKIT_FOLDER
  );
}
