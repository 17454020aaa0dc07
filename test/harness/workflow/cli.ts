import { parseArgs } from "node:util";
import { type EventName, runWorkflow, summarize } from "./runner.js";
import { removeStandIns } from "./standins.js";

/**
 * npm run workflow -- <caller.yml> --event push|pull_request|workflow_dispatch --ref <ref>
 *   [--fork] [--repo <dir>] [--secret NAME=VALUE]... [--input NAME=VALUE]... [--json]
 *   [--fresh-images <reference>]... (images matching it are removed after every job, as a hosted
 *   runner's engine starts empty; without it, the images the jobs built stay in the local engine)
 * Exits 0 only when the run concluded success.
 */
const USAGE =
  "usage: npm run workflow -- <caller.yml> --event push|pull_request|workflow_dispatch --ref <ref> [--fork] [--repo <dir>] [--secret NAME=VALUE] [--input NAME=VALUE] [--fresh-images REFERENCE] [--json]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      event: { type: "string" },
      ref: { type: "string" },
      fork: { type: "boolean", default: false },
      repo: { type: "string", default: "." },
      secret: { type: "string", multiple: true, default: [] },
      input: { type: "string", multiple: true, default: [] },
      json: { type: "boolean", default: false },
      "fresh-images": { type: "string", multiple: true, default: [] },
    },
  });
  const caller = positionals[0];
  const event = values.event as EventName | undefined;
  if (
    !caller ||
    positionals.length > 1 ||
    !event ||
    !["push", "pull_request", "workflow_dispatch"].includes(event) ||
    !values.ref
  ) {
    console.error(USAGE);
    return 2;
  }
  const pairs = (list: string[], flag: string) =>
    Object.fromEntries(
      list.map((pair) => {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new Error(`--${flag} ${pair}: expected NAME=VALUE`);
        return [pair.slice(0, eq), pair.slice(eq + 1)];
      }),
    );
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => controller.abort());
  try {
    const run = await runWorkflow({
      caller,
      event,
      ref: values.ref,
      repo: values.repo,
      fork: values.fork,
      secrets: pairs(values.secret, "secret"),
      inputs: pairs(values.input, "input"),
      signal: controller.signal,
      ...(values["fresh-images"].length > 0 ? { freshImages: values["fresh-images"] } : {}),
      ...(values.json ? {} : { log: (line: string) => console.error(line) }),
    });
    if (values.json) console.log(JSON.stringify(run, null, 2));
    else console.log(summarize(run));
    return run.conclusion === "success" ? 0 : 1;
  } finally {
    removeStandIns();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`workflow: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
