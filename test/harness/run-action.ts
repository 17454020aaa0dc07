import { spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { nodeForRunsUsing } from "./node-binary.js";
import { parseKeyValueFile, parseWorkflowCommands, type WorkflowCommand } from "./workflow-commands.js";

/**
 * Runs an action the way the GitHub runner does: `node <runs.main>` with the
 * runner's environment and files, then `node <runs.post>` (when `post-if`
 * allows) with the state main saved. Paths come from the real action.yml.
 */
export interface RunActionOptions {
  /** Folder holding action.yml. */
  action: string;
  inputs?: Record<string, string>;
  /** Name of a payload in test/fixtures/events (without .json), or a payload object. */
  event?: { name: string; payload: string | object };
  /** Overrides for the GITHUB_* variables (GITHUB_REF, GITHUB_SHA, ...). */
  env?: Record<string, string>;
  /** Defaults to an empty folder made for this run. */
  workspace?: string;
  /** Run as this unprivileged user (GitHub's hosted runners use uid 1001 with gid docker). */
  user?: { uid: number; gid: number };
  timeoutMs?: number;
  /** Send a signal to main once its output matches (a cancelled job). */
  interrupt?: { when: RegExp; signal?: NodeJS.Signals };
}

export interface StepRun {
  exitCode: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  commands: WorkflowCommand[];
}

export interface ActionRun {
  main: StepRun;
  post: StepRun | undefined;
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  summary: string;
  /** `::error` / `::warning` / `::notice` commands from both steps. */
  annotations: WorkflowCommand[];
  runnerTemp: string;
  workspace: string;
}

interface ActionYaml {
  inputs?: Record<string, { default?: string | number | boolean; required?: boolean }>;
  runs?: { using?: string; main?: string; post?: string; "post-if"?: string };
}

const FIXTURE_EVENTS = resolve(import.meta.dirname, "../fixtures/events");

/** Every runner folder made in this process, removed by `removeRunnerFolders` (an afterAll in test/setup.ts). */
const runnerFolders = new Set<string>();

export function removeRunnerFolders(): void {
  for (const folder of runnerFolders) rmSync(folder, { recursive: true, force: true });
  runnerFolders.clear();
  stagedCheckout = undefined;
}

const CHECKOUT = resolve(import.meta.dirname, "../..");
/** What of the checkout a run executes: the actions, their bundles and the harness's own test actions. */
const STAGED_PARTS = ["action.yml", "actions", "dist", "test/fixtures/actions"];
let stagedCheckout: string | undefined;

/**
 * `path` (in the checkout) where the runner user can read it. A runner's
 * actions are its own to read, but the checkout may sit in a folder only root
 * may enter (\`mktemp -d\` makes mode 700); so the first call of a test file
 * copies the actions and dist/ to a folder anyone may read, removed with the
 * runner folders.
 */
export function runnerReadable(path: string): string {
  const inCheckout = relative(CHECKOUT, resolve(path));
  if (inCheckout.startsWith("..") || isAbsolute(inCheckout)) return path;
  if (stagedCheckout === undefined) {
    const staged = mkdtempSync(join(tmpdir(), "goflow-checkout-"));
    runnerFolders.add(staged);
    chmodSync(staged, 0o755);
    for (const part of STAGED_PARTS) cpSync(join(CHECKOUT, part), join(staged, part), { recursive: true });
    stagedCheckout = staged;
  }
  return join(stagedCheckout, inCheckout);
}

/**
 * `binary` where the runner user can run it: the pinned Node binaries sit in
 * root's cache, which uid 1001 cannot enter, so they are linked (or copied)
 * into the readable staged checkout, once per binary and test file.
 */
export function runnerReadableBinary(binary: string): string {
  const staged = join(runnerReadable(join(CHECKOUT, "actions")), "..", ".node", relative("/", binary));
  if (!existsSync(staged)) {
    mkdirSync(join(staged, ".."), { recursive: true });
    try {
      linkSync(binary, staged);
    } catch {
      copyFileSync(binary, staged);
    }
  }
  return staged;
}

export function readActionYaml(actionDir: string): ActionYaml {
  return parseYaml(readFileSync(join(actionDir, "action.yml"), "utf8")) as ActionYaml;
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const actionDir = runnerReadable(options.action);
  const definition = readActionYaml(actionDir);
  const runs = definition.runs;
  if (!runs?.main || !runs.using?.startsWith("node"))
    throw new Error(`${actionDir}/action.yml is not a node action`);

  const root = mkdtempSync(join(tmpdir(), "goflow-harness-"));
  runnerFolders.add(root);
  const runnerTemp = join(root, "temp");
  const files = join(root, "files");
  const home = join(root, "home");
  for (const dir of [runnerTemp, files, home]) mkdirSync(dir);
  const workspace = options.workspace ?? join(root, "workspace");
  mkdirSync(workspace, { recursive: true });
  const file = (name: string) => {
    const path = join(files, name);
    writeFileSync(path, "");
    return path;
  };
  const paths = {
    output: file("output"),
    state: file("state"),
    env: file("env"),
    path: file("path"),
    summary: file("summary"),
    event: join(files, "event.json"),
  };
  const event = options.event ?? { name: "push", payload: "push-develop" };
  const payload =
    typeof event.payload === "string"
      ? readFileSync(join(FIXTURE_EVENTS, `${event.payload}.json`), "utf8")
      : JSON.stringify(event.payload);
  writeFileSync(paths.event, payload);
  if (options.user) chownTree(root, options.user);

  const base: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: paths.output,
    GITHUB_STATE: paths.state,
    GITHUB_ENV: paths.env,
    GITHUB_PATH: paths.path,
    GITHUB_STEP_SUMMARY: paths.summary,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: paths.event,
    GITHUB_REF: "refs/heads/develop",
    GITHUB_REF_NAME: "develop",
    GITHUB_REF_TYPE: "branch",
    GITHUB_HEAD_REF: "",
    GITHUB_BASE_REF: "",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_REPOSITORY: "acme/go-auth",
    GITHUB_REPOSITORY_OWNER: "acme",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_RUN_ID: String(1_000_000 + Math.floor(Math.random() * 1_000_000)),
    GITHUB_RUN_NUMBER: "7",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_JOB: "test",
    GITHUB_ACTION: "__self",
    GITHUB_ACTOR: "octocat",
    GITHUB_WORKFLOW: "ci",
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(root, "toolcache"),
    RUNNER_OS: "Linux",
    RUNNER_ARCH: process.arch === "arm64" ? "ARM64" : "X64",
    RUNNER_NAME: "goflow-harness",
    ...deriveRefVariables(options.env),
    ...options.env,
  };
  for (const [name, spec] of Object.entries(definition.inputs ?? {})) {
    const value = options.inputs?.[name] ?? defaultInputValue(spec.default);
    base[inputVariable(name)] = value;
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (!(name in (definition.inputs ?? {})))
      throw new Error(`input '${name}' is not declared in ${actionDir}/action.yml`);
    base[inputVariable(name)] = value;
  }

  // The Node the action.yml declares (node24 → Node 24), as the runner does; never the test's own node.
  const node = runnerReadableBinary(nodeForRunsUsing(runs.using));
  const main = await runStep(node, join(actionDir, runs.main), base, workspace, options);
  const state = parseKeyValueFile(readFileSync(paths.state, "utf8"));
  let post: StepRun | undefined;
  if (runs.post && shouldRunPost(runs["post-if"] ?? "always()", main)) {
    const postEnv = { ...base };
    for (const [key, value] of Object.entries(state)) postEnv[`STATE_${key}`] = value;
    post = await runStep(node, join(actionDir, runs.post), postEnv, workspace, {
      ...options,
      interrupt: undefined,
    });
  }
  const annotations = [...main.commands, ...(post?.commands ?? [])].filter((c) =>
    ["error", "warning", "notice"].includes(c.command),
  );
  return {
    main,
    post,
    outputs: parseKeyValueFile(readFileSync(paths.output, "utf8")),
    state,
    env: parseKeyValueFile(readFileSync(paths.env, "utf8")),
    summary: readFileSync(paths.summary, "utf8"),
    annotations,
    runnerTemp,
    workspace,
  };
}

/** The runner's rule: upper-case, spaces to underscores (dashes are kept). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

function defaultInputValue(value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  const text = String(value);
  // The runner evaluates expressions in defaults; the only ones our actions use are these.
  if (text.trim() === "${{ github.token }}") return "";
  return text;
}

/** Keeps GITHUB_REF_NAME and GITHUB_REF_TYPE consistent with an overridden GITHUB_REF. */
function deriveRefVariables(env: Record<string, string> | undefined): Record<string, string> {
  const ref = env?.GITHUB_REF;
  if (!ref) return {};
  const tag = /^refs\/tags\/(.+)$/.exec(ref);
  if (tag) return { GITHUB_REF_NAME: tag[1] ?? "", GITHUB_REF_TYPE: "tag" };
  const branch = /^refs\/heads\/(.+)$/.exec(ref);
  if (branch) return { GITHUB_REF_NAME: branch[1] ?? "", GITHUB_REF_TYPE: "branch" };
  const pull = /^refs\/pull\/(\d+)\/merge$/.exec(ref);
  if (pull) return { GITHUB_REF_NAME: `${pull[1]}/merge`, GITHUB_REF_TYPE: "branch" };
  return {};
}

/** `post-if` as the runner evaluates it for the cases actions use. */
export function shouldRunPost(condition: string, main: StepRun): boolean {
  const expression = condition.replace(/^\$\{\{\s*|\s*\}\}$/g, "").trim();
  const succeeded = main.exitCode === 0 && main.signal === null;
  switch (expression) {
    case "always()":
      return true;
    case "success()":
      return succeeded;
    case "failure()":
      return !succeeded;
    case "!cancelled()":
      return main.signal === null;
    default:
      throw new Error(`harness cannot evaluate post-if: ${condition}`);
  }
}

function runStep(
  node: string,
  script: string,
  env: Record<string, string>,
  cwd: string,
  options: RunActionOptions,
): Promise<StepRun> {
  if (!existsSync(script)) throw new Error(`${script} does not exist: run npm run build`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [script], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (options.interrupt && !interrupted && options.interrupt.when.test(stdout)) {
        interrupted = true;
        child.kill(options.interrupt.signal ?? "SIGTERM");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 10 * 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        exitCode: code ?? 1,
        signal,
        stdout,
        stderr,
        commands: parseWorkflowCommands(stdout),
      });
    });
  });
}

/** Hands a folder to a user, as actions/checkout leaves a workspace to the runner user. */
export function chownTree(path: string, user: { uid: number; gid: number }): void {
  chownSync(path, user.uid, user.gid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

export function eventFixturePath(name: string): string {
  return join(FIXTURE_EVENTS, `${name}.json`);
}
