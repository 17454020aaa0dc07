// Writes the README's reference tables from the action.yml files and the reusable workflow,
// so the documentation cannot drift from what the runner reads. `--check` fails instead of
// writing when the README is stale (a test runs it).
//
// A block is marked in README.md as
//   <!-- reference: actions/go-build/action.yml -->
//   ...generated...
//   <!-- end reference -->
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const README = "README.md";
const BLOCK = /(<!-- reference: (\S+) -->\n)[\s\S]*?(<!-- end reference -->)/g;

export function renderReadme(text) {
  return text.replace(BLOCK, (_all, open, file, close) => `${open}${renderReference(file)}${close}`);
}

function renderReference(file) {
  const document = parse(readFileSync(file, "utf8"));
  const isWorkflow = Boolean(document.on?.workflow_call);
  const inputs = isWorkflow ? document.on.workflow_call.inputs : document.inputs;
  const outputs = isWorkflow ? document.on.workflow_call.outputs : document.outputs;
  const secrets = isWorkflow ? document.on.workflow_call.secrets : undefined;
  let out = "";
  if (inputs && Object.keys(inputs).length) {
    out += isWorkflow
      ? "| input | type | default | description |\n| --- | --- | --- | --- |\n"
      : "| input | default | description |\n| --- | --- | --- |\n";
    for (const [name, spec] of Object.entries(inputs)) {
      const fallback = spec.required
        ? "*required*"
        : code(spec.default) || describedDefault(spec.description);
      const cells = isWorkflow
        ? [code(name), spec.type ?? "", fallback, cell(spec.description)]
        : [code(name), fallback, cell(spec.description)];
      out += `| ${cells.join(" | ")} |\n`;
    }
    out += "\n";
  }
  if (secrets && Object.keys(secrets).length) {
    out += "| secret | description |\n| --- | --- |\n";
    for (const [name, spec] of Object.entries(secrets))
      out += `| ${code(name)} | ${cell(spec.description)} |\n`;
    out += "\n";
  }
  if (outputs && Object.keys(outputs).length) {
    out += "| output | description |\n| --- | --- |\n";
    for (const [name, spec] of Object.entries(outputs))
      out += `| ${code(name)} | ${cell(spec.description)} |\n`;
    out += "\n";
  }
  return out;
}

/** Inputs that goflow.yml may set have no runner default; their description says "Default `x`.". */
function describedDefault(description = "") {
  const match = /Default (`[^`]+`)/.exec(description);
  return match ? match[1] : "";
}

function code(value) {
  if (value === undefined || value === null || value === "") return "";
  return `\`${String(value).replace(/\n/g, "\\n")}\``;
}

function cell(text = "") {
  return String(text)
    .trim()
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|");
}

const check = process.argv.includes("--check");
const current = readFileSync(README, "utf8");
const rendered = renderReadme(current);
if (check) {
  if (rendered !== current) {
    console.error("README.md reference tables are stale: run `npm run docs` and commit README.md");
    process.exit(1);
  }
  console.log("README.md reference tables are up to date");
} else if (rendered !== current) {
  writeFileSync(README, rendered);
  console.log("README.md reference tables updated");
}
