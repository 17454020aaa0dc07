import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  lchownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { data } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import type {
  Job,
  ReusableWorkflowJob,
  Step,
  WorkflowJob,
} from "@actions/workflow-parser/model/workflow-template";
import { parse as parseYaml } from "yaml";
import { nodeForRunsUsing } from "../node-binary.js";
import { cacheScopesFor, type ResultsService, startResultsService } from "../results-service.js";
import { inputVariable } from "../run-action.js";
import type { CacheScope } from "../runtime-token.js";
import { parseKeyValueFile, parseWorkflowCommands, type WorkflowCommand } from "../workflow-commands.js";
import type { Contexts } from "./expressions.js";
import {
  type CalledWorkflow,
  type LoadedWorkflow,
  loadWorkflow,
  type RawJob,
  type RawStep,
  type RawWorkflow,
  TOOLKIT_REPOSITORY,
} from "./load.js";
import { expandMatrix, type MatrixLeg } from "./matrix.js";
import { standInAction } from "./standins.js";
import { asString, evaluateRaw, evaluateToken } from "./tokens.js";

/**
 * A local GitHub Actions runner for this repository's workflows: the caller
 * and the reusable workflow it calls are read by GitHub's parser, every
 * `${{ }}` by GitHub's expression library, and each job runs like a job on a
 * fresh hosted runner (its own empty workspace and RUNNER_TEMP, at the same
 * paths every time, as /home/runner/work is), so nothing passes between jobs
 * but outputs, artifacts, the cache and the registry. Jobs run one at a time in
 * `needs` order; GitHub runs independent ones side by side, which no
 * scenario here depends on.
 */
export type EventName = "push" | "pull_request" | "workflow_dispatch";
export type Result = "success" | "failure" | "cancelled" | "skipped";

export interface WorkflowRunOptions {
  /** The caller workflow file. */
  caller: string;
  event: EventName;
  /** push/dispatch: refs/heads/<branch> or refs/tags/<tag> (a bare name is a branch); pull_request: the head branch. */
  ref: string;
  /** The caller's repository: a git folder, checked out at its HEAD (or `sha`). */
  repo: string;
  sha?: string;
  /** A pull request from a fork: no secrets but a read-only GITHUB_TOKEN. */
  fork?: boolean;
  baseRef?: string;
  pullRequestNumber?: number;
  defaultBranch?: string;
  repository?: string;
  secrets?: Record<string, string>;
  /** workflow_dispatch inputs. */
  inputs?: Record<string, string>;
  /** Where the jobs' workspaces and RUNNER_TEMP are made; two runs with the same root see the same paths. */
  runnerRoot?: string;
  /** The artifact and cache service; started (and stopped) for this run when not given. */
  results?: ResultsService;
  runId?: string;
  /** Cancel the run once a step of a job whose name matches `job` prints a line matching `when`. */
  cancelWhen?: { job?: RegExp; when: RegExp };
  signal?: AbortSignal;
  /** The toolkit checkout the reusable workflow and its actions come from; defaults to this one. */
  toolkit?: string;
  /**
   * Docker references (`localhost:5000/acme/*`) whose images are removed after every job: a
   * hosted runner's engine starts empty, so a later job must load what it uses (the image
   * archive artifact) rather than find what an earlier job built.
   */
  freshImages?: string[];
  /**
   * Run every step as this user, as GitHub's hosted runners run them as `runner` (uid 1001, docker
   * group): the runner's folders are theirs, and each job reports the root-owned files it left.
   */
  user?: { uid: number; gid: number };
  log?: (line: string) => void;
}

export interface StepResult {
  name: string;
  id: string;
  uses?: string;
  outcome: Result;
  conclusion: Result;
  outputs: Record<string, string>;
  inputs: Record<string, string>;
  env: Record<string, string>;
  log: string;
  annotations: WorkflowCommand[];
  post?: boolean;
  durationMs: number;
}

export interface JobResult {
  /** caller job / called job, for example pipeline/build. */
  id: string;
  name: string;
  result: Result;
  matrix?: MatrixLeg;
  outputs: Record<string, string>;
  permissions: unknown;
  concurrency?: unknown;
  environment?: unknown;
  steps: StepResult[];
  summary: string;
  /** With `user`: paths in the workspace owned by root when the job ended (there must be none). */
  rootOwned?: string[];
  /** With `freshImages`: the matching images the job's engine held at its end, reference → image id. */
  images?: Record<string, string>;
  durationMs: number;
}

export interface WorkflowRun {
  runId: string;
  conclusion: Result;
  /** The workflow-level concurrency of each called workflow, by calling job. */
  concurrency: Record<string, unknown>;
  jobs: JobResult[];
  /** Outputs of each caller job (a reusable call's workflow_call outputs). */
  outputs: Record<string, Record<string, string>>;
}

interface RunState {
  options: WorkflowRunOptions;
  workflow: LoadedWorkflow;
  results: ResultsService;
  runId: string;
  github: Record<string, unknown>;
  toolkit: { dir: string; sha: string };
  runnerRoot: string;
  cancelled: boolean;
  current: ChildProcess | undefined;
  jobs: JobResult[];
  cacheScopes: CacheScope[];
  log: (line: string) => void;
}

/** What one level of jobs (the caller's, or a called workflow's) runs with. */
interface Scope {
  prefix: string;
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  workflowEnv: Record<string, string>;
  raw: RawWorkflow;
  job: {
    workflow_repository: string;
    workflow_sha: string;
    workflow_ref: string;
    workflow_file_path: string;
  };
}

const CANCEL_GRACE_MS = 7_500;

export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowRun> {
  const snapshot = gitSnapshot(resolve(options.repo));
  try {
    return await runInRepository({ ...options, repo: snapshot.dir });
  } finally {
    snapshot.remove();
  }
}

async function runInRepository(options: WorkflowRunOptions): Promise<WorkflowRun> {
  const toolkitDir = resolve(options.toolkit ?? resolve(import.meta.dirname, "../../.."));
  const repo = options.repo;
  const workflow = await loadWorkflow(options.caller, { repo, toolkit: toolkitDir });
  const ownResults = options.results === undefined;
  const results = options.results ?? (await startResultsService());
  const runnerRoot = options.runnerRoot ?? mkdtempSync(join(tmpdir(), "goflow-runner-"));
  const ownRoot = options.runnerRoot === undefined;
  const state: RunState = {
    options,
    workflow,
    results,
    runId: options.runId ?? String(100_000 + Math.floor(Math.random() * 900_000)),
    github: {},
    toolkit: { dir: toolkitDir, sha: gitHead(toolkitDir) },
    runnerRoot,
    cancelled: false,
    current: undefined,
    jobs: [],
    cacheScopes: [],
    log: options.log ?? (() => {}),
  };
  state.github = githubContext(state, repo);
  const ref = String(state.github.ref);
  state.cacheScopes = cacheScopesFor(ref, {
    ...(options.event === "pull_request" ? { baseRef: String(state.github.base_ref) } : {}),
    defaultBranch: options.defaultBranch ?? "main",
  });
  const onAbort = () => cancelRun(state);
  options.signal?.addEventListener("abort", onAbort);
  try {
    const callerSecrets = options.fork ? {} : { ...(options.secrets ?? {}) };
    const scope: Scope = {
      prefix: "",
      inputs: options.event === "workflow_dispatch" ? dispatchInputs(workflow.raw, options.inputs ?? {}) : {},
      secrets: { GITHUB_TOKEN: String(state.github.token), ...callerSecrets },
      workflowEnv: stringMap(
        evaluateToken(workflow.template.env, { github: state.github, inputs: {}, vars: {}, secrets: {} }),
      ),
      raw: workflow.raw,
      job: {
        workflow_repository: String(state.github.repository),
        workflow_sha: String(state.github.sha),
        workflow_ref: `${state.github.repository}/${workflow.path}@${ref}`,
        workflow_file_path: workflow.path,
      },
    };
    const concurrency: Record<string, unknown> = {};
    const levelResults = await runJobs(state, workflow.template.jobs, scope, concurrency);
    const outputs: Record<string, Record<string, string>> = {};
    for (const [id, job] of levelResults) outputs[id] = job.outputs;
    const conclusion: Result = state.cancelled
      ? "cancelled"
      : [...levelResults.values()].some((job) => job.result === "failure")
        ? "failure"
        : "success";
    return { runId: state.runId, conclusion, concurrency, jobs: state.jobs, outputs };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    if (ownResults) await results.close();
    if (ownRoot) rmSync(runnerRoot, { recursive: true, force: true });
  }
}

/**
 * The caller's repository as git: a folder that is not the root of a git work
 * tree (examples/go-auth) is committed as it is into a temporary repository.
 */
function gitSnapshot(dir: string): { dir: string; remove(): void } {
  if (existsSync(join(dir, ".git"))) return { dir, remove: () => {} };
  const copy = mkdtempSync(join(tmpdir(), "goflow-runner-repo-"));
  cpSync(dir, copy, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=goflow", "-c", "user.email=goflow@example.com", ...args], {
      cwd: copy,
      stdio: "pipe",
    });
  git("init", "--quiet", "--initial-branch", "main");
  git("add", "--all");
  git("commit", "--quiet", "--message", "snapshot");
  return { dir: copy, remove: () => rmSync(copy, { recursive: true, force: true }) };
}

/** workflow_dispatch inputs as GitHub gives them: the given values, else the defaults, typed by the definitions. */
function dispatchInputs(raw: RawWorkflow, given: Record<string, string>): Record<string, unknown> {
  const on = rawOf(raw, "on") as {
    workflow_dispatch?: { inputs?: Record<string, { type?: string; default?: unknown; required?: boolean }> };
  } | null;
  const definitions = on?.workflow_dispatch?.inputs ?? {};
  const inputs: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const value = name in given ? given[name] : definition.default;
    if (value === undefined && definition.required)
      throw new Error(`workflow_dispatch input '${name}' is required`);
    inputs[name] =
      definition.type === "boolean"
        ? value === true || value === "true"
        : definition.type === "number"
          ? Number(value ?? 0)
          : asString(value);
  }
  for (const name of Object.keys(given))
    if (!(name in definitions)) throw new Error(`the workflow has no workflow_dispatch input '${name}'`);
  return inputs;
}

function githubContext(state: RunState, repo: string): Record<string, unknown> {
  const { options } = state;
  const repository = options.repository ?? "acme/go-auth";
  const [owner = "acme", name = "go-auth"] = repository.split("/");
  const sha = options.sha ?? gitHead(repo);
  const defaultBranch = options.defaultBranch ?? "main";
  const repositoryPayload = {
    full_name: repository,
    name,
    owner: { login: owner },
    default_branch: defaultBranch,
    clone_url: `https://github.com/${repository}.git`,
  };
  const token = `ghs_${randomBytes(18).toString("hex")}`;
  const common = {
    repository,
    repository_owner: owner,
    sha,
    actor: "octocat",
    triggering_actor: "octocat",
    workflow: state.workflow.name,
    run_id: state.runId,
    run_number: "1",
    run_attempt: "1",
    server_url: "https://github.com",
    api_url: "https://api.github.com",
    graphql_url: "https://api.github.com/graphql",
    token,
    retention_days: "90",
  };
  if (options.event === "pull_request") {
    const number = options.pullRequestNumber ?? 7;
    const head = options.ref.replace(/^refs\/heads\//, "");
    const base = options.baseRef ?? defaultBranch;
    const headRepository = options.fork ? `contributor/${name}` : repository;
    const event = {
      action: "synchronize",
      number,
      pull_request: {
        number,
        title: "a change",
        head: { ref: head, sha, repo: { full_name: headRepository, fork: options.fork === true } },
        base: { ref: base, sha, repo: repositoryPayload },
      },
      repository: repositoryPayload,
      sender: { login: "octocat" },
    };
    return {
      ...common,
      event_name: "pull_request",
      event,
      ref: `refs/pull/${number}/merge`,
      ref_name: `${number}/merge`,
      ref_type: "branch",
      head_ref: head,
      base_ref: base,
    };
  }
  const ref = options.ref.startsWith("refs/") ? options.ref : `refs/heads/${options.ref}`;
  const tag = ref.startsWith("refs/tags/");
  const refName = ref.replace(/^refs\/(heads|tags)\//, "");
  const event =
    options.event === "push"
      ? {
          ref,
          before: "0".repeat(40),
          after: sha,
          created: false,
          repository: repositoryPayload,
          sender: { login: "octocat" },
        }
      : { ref, inputs: options.inputs ?? {}, repository: repositoryPayload, sender: { login: "octocat" } };
  return {
    ...common,
    event_name: options.event,
    event,
    ref,
    ref_name: refName,
    ref_type: tag ? "tag" : "branch",
    head_ref: "",
    base_ref: "",
  };
}

function cancelRun(state: RunState): void {
  if (state.cancelled) return;
  state.cancelled = true;
  state.log("run cancelled");
  const child = state.current;
  if (!child || child.exitCode !== null) return;
  // The runner's order: SIGINT, then SIGTERM after 7.5 s, then the process tree is killed.
  child.kill("SIGINT");
  const term = setTimeout(() => child.exitCode === null && child.kill("SIGTERM"), CANCEL_GRACE_MS);
  const kill = setTimeout(() => killGroup(child), CANCEL_GRACE_MS + 2_500);
  child.once("close", () => {
    clearTimeout(term);
    clearTimeout(kill);
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Status functions: what success(), failure() and cancelled() say at this point. */
function statusFunctions(status: {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}): Map<string, FunctionDefinition> {
  const fn = (name: string, value: boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) },
  ];
  return new Map([
    fn("success", status.success && !status.cancelled),
    fn("failure", status.failure),
    fn("cancelled", status.cancelled),
    fn("always", true),
    [
      "hashFiles",
      {
        name: "hashFiles",
        minArgs: 1,
        maxArgs: 255,
        call: () => {
          throw new Error("hashFiles() is not supported by this runner");
        },
      },
    ],
  ]);
}

interface LevelJob {
  result: Result;
  outputs: Record<string, string>;
}

async function runJobs(
  state: RunState,
  jobs: WorkflowJob[],
  scope: Scope,
  concurrency: Record<string, unknown>,
): Promise<Map<string, LevelJob>> {
  const done = new Map<string, LevelJob>();
  const pending = [...jobs];
  while (pending.length > 0) {
    const index = pending.findIndex((job) => (job.needs ?? []).every((need) => done.has(need.value)));
    if (index < 0)
      throw new Error(`jobs ${pending.map((job) => job.id.value).join(", ")} wait on each other`);
    const [job] = pending.splice(index, 1);
    if (!job) break;
    const id = job.id.value;
    const needs = Object.fromEntries((job.needs ?? []).map((need) => [need.value, done.get(need.value)]));
    const needResults = Object.values(needs).map((need) => need?.result);
    const functions = statusFunctions({
      success: needResults.every((result) => result === "success"),
      failure: needResults.some((result) => result === "failure"),
      cancelled: state.cancelled,
    });
    const contexts = { github: state.github, inputs: scope.inputs, needs, vars: {} };
    const runs = Boolean(evaluateToken(job.if, contexts, functions));
    if (!runs) {
      state.log(`${scope.prefix}${id}: skipped`);
      // needs.<id>.result says what the job's record says: skipped, also after a cancel.
      const skipped: LevelJob = { result: "skipped", outputs: {} };
      done.set(id, skipped);
      state.jobs.push(notRunJob(scope, job, contexts, "skipped", undefined));
      continue;
    }
    const strategy = (evaluateToken(job.strategy, contexts, functions) ?? {}) as {
      matrix?: unknown;
      "fail-fast"?: boolean;
    };
    const legs = job.strategy ? expandMatrix(strategy.matrix) : [undefined];
    const failFast = strategy["fail-fast"] ?? true;
    const legResults: LevelJob[] = [];
    for (const [legIndex, matrix] of legs.entries()) {
      const legContexts = {
        ...contexts,
        matrix: matrix ?? {},
        strategy: {
          "fail-fast": failFast,
          "job-index": legIndex,
          "job-total": legs.length,
          "max-parallel": legs.length,
        },
      };
      if (state.cancelled || (failFast && legResults.some((leg) => leg.result === "failure"))) {
        // fail-fast (or a cancel) cancels the legs that have not started, as GitHub shows them.
        legResults.push({ result: "cancelled", outputs: {} });
        state.jobs.push(notRunJob(scope, job, legContexts, "cancelled", matrix));
        continue;
      }
      legResults.push(
        job.type === "reusableWorkflowJob"
          ? await runCalledWorkflow(state, job, scope, legContexts, concurrency)
          : await runJob(state, job, scope, legContexts, matrix),
      );
    }
    const outputs = Object.assign({}, ...legResults.map((leg) => leg.outputs)) as Record<string, string>;
    const result: Result = legResults.some((leg) => leg.result === "failure")
      ? "failure"
      : legResults.some((leg) => leg.result === "cancelled")
        ? "cancelled"
        : "success";
    done.set(id, { result, outputs });
  }
  return done;
}

/** The record of a job that did not run: skipped by its if:, or a leg cancelled before it started. */
function notRunJob(
  scope: Scope,
  job: WorkflowJob,
  contexts: Contexts,
  result: "skipped" | "cancelled",
  matrix: MatrixLeg | undefined,
): JobResult {
  const id = job.id.value;
  return {
    id: `${scope.prefix}${id}`,
    name: asString(evaluateTokenSafe(job.name, contexts)) || id,
    result,
    ...(matrix ? { matrix } : {}),
    outputs: {},
    permissions: scope.raw.jobs[id]?.permissions ?? scope.raw.permissions,
    steps: [],
    summary: "",
    durationMs: 0,
  };
}

function evaluateTokenSafe(token: Parameters<typeof evaluateToken>[0], contexts: Contexts): unknown {
  try {
    return evaluateToken(token, contexts);
  } catch {
    return undefined;
  }
}

async function runCalledWorkflow(
  state: RunState,
  job: ReusableWorkflowJob,
  scope: Scope,
  contexts: Contexts,
  concurrency: Record<string, unknown>,
): Promise<LevelJob> {
  const id = job.id.value;
  const called = state.workflow.called.get(job.ref.value);
  if (!called) throw new Error(`${id}: ${job.ref.value} was not loaded`);
  const withContexts = { ...contexts, secrets: scope.secrets };
  const definitions = (evaluateToken(job["input-definitions"], withContexts) ?? {}) as Record<
    string,
    { type?: string; default?: unknown; required?: boolean }
  >;
  const given = (evaluateToken(job["input-values"], withContexts) ?? {}) as Record<string, unknown>;
  const inputs: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    let value = name in given ? given[name] : definition.default;
    if (value === undefined) {
      if (definition.required) throw new Error(`${id}: input '${name}' is required by ${called.uses}`);
      value = definition.type === "boolean" ? false : definition.type === "number" ? 0 : "";
    }
    if (definition.type === "boolean" && typeof value === "string") value = value === "true";
    if (definition.type === "number" && typeof value === "string") value = Number(value);
    inputs[name] = value;
  }
  for (const name of Object.keys(given))
    if (!(name in definitions)) throw new Error(`${id}: ${called.uses} has no input '${name}'`);
  // Only what the caller passes: a called workflow sees no other secret (secrets: inherit is refused by policy).
  const passed = stringMap(evaluateToken(job["secret-values"], withContexts) ?? {});
  const secrets: Record<string, string> = { GITHUB_TOKEN: String(state.github.token) };
  for (const [name, value] of Object.entries(passed)) if (value !== "") secrets[name] = value;
  const legName = legLabel(contexts.matrix);
  const prefix = `${scope.prefix}${id}${legName}/`;
  const inner: Scope = {
    prefix,
    inputs,
    secrets,
    workflowEnv: {},
    raw: called.raw,
    job: {
      workflow_repository: called.repository || String(state.github.repository),
      workflow_sha: called.repository === TOOLKIT_REPOSITORY ? state.toolkit.sha : String(state.github.sha),
      workflow_ref: called.repository
        ? called.uses
        : `${state.github.repository}/${called.path}@${state.github.ref}`,
      workflow_file_path: called.path,
    },
  };
  const workflowConcurrency = rawOf(called.raw, "concurrency");
  if (workflowConcurrency !== undefined)
    concurrency[`${scope.prefix}${id}${legName}`] = evaluateRaw(workflowConcurrency, {
      github: state.github,
      inputs,
      vars: {},
    });
  const innerResults = await runJobs(state, job.jobs ?? [], inner, concurrency);
  const jobsContext = Object.fromEntries(
    [...innerResults].map(([name, result]) => [name, { result: result.result, outputs: result.outputs }]),
  );
  const outputDefinitions = workflowCallOutputs(called);
  const outputs: Record<string, string> = {};
  for (const [name, definition] of Object.entries(outputDefinitions))
    outputs[name] = asString(
      evaluateRaw(definition.value ?? "", { github: state.github, inputs, jobs: jobsContext, vars: {} }),
    );
  const values = [...innerResults.values()].map((result) => result.result);
  const result: Result = values.includes("failure")
    ? "failure"
    : values.includes("cancelled")
      ? "cancelled"
      : "success";
  return { result, outputs };
}

/** A matrix leg's name suffix as GitHub shows it: its values, nested ones flattened, comma-separated. */
function legLabel(matrix: unknown): string {
  if (!matrix || typeof matrix !== "object" || Object.keys(matrix).length === 0) return "";
  const flat = (value: unknown): string[] =>
    value !== null && typeof value === "object" ? Object.values(value).flatMap(flat) : [asString(value)];
  return ` (${flat(matrix).join(", ")})`;
}

function rawOf(raw: RawWorkflow, key: string): unknown {
  return (raw as unknown as Record<string, unknown>)[key];
}

function workflowCallOutputs(called: CalledWorkflow): Record<string, { value?: string }> {
  const on = rawOf(called.raw, "on") as
    | { workflow_call?: { outputs?: Record<string, { value?: string }> } }
    | undefined;
  return on?.workflow_call?.outputs ?? {};
}

interface JobRunner {
  state: RunState;
  scope: Scope;
  workspace: string;
  runnerTemp: string;
  files: string;
  home: string;
  env: Record<string, string>;
  path: string[];
  status: "success" | "failure";
  stepsContext: Record<string, { outputs: Record<string, string>; outcome: Result; conclusion: Result }>;
  posts: PendingPost[];
  deadline: number;
  timedOut: boolean;
  result: JobResult;
  baseContexts: Contexts;
  /** The job's id in its runtime token, a GUID as on GitHub (display names may hold ':'). */
  runtimeJobId: string;
}

interface PendingPost {
  name: string;
  id: string;
  uses: string;
  node: string;
  script: string;
  condition: string;
  env: Record<string, string>;
  actionDir: string;
}

async function runJob(
  state: RunState,
  job: Job,
  scope: Scope,
  contexts: Contexts,
  matrix: MatrixLeg | undefined,
): Promise<LevelJob> {
  const id = job.id.value;
  const raw = scope.raw.jobs[id] ?? {};
  const started = Date.now();
  const name = asString(evaluateToken(job.name, contexts) ?? id) || id;
  // A fresh hosted runner at the same paths as the last one: /home/runner/work/<repo>/<repo> and _temp.
  const repoName = String(state.github.repository).split("/")[1] ?? "repo";
  const work = join(state.runnerRoot, "work");
  rmSync(work, { recursive: true, force: true });
  const workspace = join(work, repoName, repoName);
  const runnerTemp = join(work, "_temp");
  const files = join(work, "_runner_file_commands");
  const home = join(work, "_home");
  for (const dir of [workspace, runnerTemp, files, home, join(work, "_tool")])
    mkdirSync(dir, { recursive: true });
  handOver(state, work);
  chmodSync(state.runnerRoot, 0o755);
  const permissions = raw.permissions ?? scope.raw.permissions;
  const result: JobResult = {
    id: `${scope.prefix}${id}`,
    name,
    result: "success",
    ...(matrix ? { matrix } : {}),
    outputs: {},
    permissions,
    steps: [],
    summary: "",
    durationMs: 0,
  };
  state.jobs.push(result);
  state.log(`${result.id}: ${name}`);
  const runner = {
    os: "Linux",
    arch: process.arch === "arm64" ? "ARM64" : "X64",
    name: "goflow-local",
    temp: runnerTemp,
    tool_cache: join(work, "_tool"),
    environment: "github-hosted",
    debug: "",
  };
  const github = {
    ...state.github,
    job: id,
    workspace,
    action_path: "",
    event_path: join(files, "event.json"),
  };
  writeFileSync(join(files, "event.json"), JSON.stringify(state.github.event));
  const jobContext = { status: "success", ...scope.job };
  const baseContexts: Contexts = {
    ...contexts,
    github,
    secrets: scope.secrets,
    runner,
    job: jobContext,
    steps: {},
  };
  if (job.concurrency) result.concurrency = evaluateToken(job.concurrency, baseContexts);
  if (job.environment) result.environment = evaluateToken(job.environment, baseContexts);
  const jobEnv = stringMap(evaluateToken(job.env, { ...baseContexts, env: scope.workflowEnv }));
  const timeoutMinutes = Number(evaluateRaw(raw["timeout-minutes"] ?? 360, baseContexts));
  const jobRunner: JobRunner = {
    state,
    scope,
    workspace,
    runnerTemp,
    files,
    home,
    env: { ...scope.workflowEnv, ...jobEnv },
    path: [],
    status: "success",
    stepsContext: {},
    posts: [],
    deadline: started + timeoutMinutes * 60_000,
    timedOut: false,
    result,
    baseContexts,
    runtimeJobId: randomUUID(),
  };
  const rawSteps = raw.steps ?? [];
  for (const [index, step] of job.steps.entries())
    await runStepOf(jobRunner, step, rawSteps[index] ?? {}, raw);
  for (const post of jobRunner.posts.reverse()) await runPost(jobRunner, post);
  const outputContexts = {
    ...baseContexts,
    steps: jobRunner.stepsContext,
    job: { ...jobContext, status: jobRunner.status },
  };
  result.outputs = stringMap(evaluateToken(job.outputs, outputContexts) ?? {});
  if (state.options.user) result.rootOwned = rootOwnedPaths(workspace);
  result.result = state.cancelled ? "cancelled" : jobRunner.status;
  if (jobRunner.timedOut) result.result = "failure";
  result.durationMs = Date.now() - started;
  if (state.options.freshImages) {
    result.images = listImages(state.options.freshImages);
    removeImages(state.options.freshImages);
  }
  state.log(`${result.id}: ${result.result} in ${(result.durationMs / 1000).toFixed(1)} s`);
  return { result: result.result, outputs: result.outputs };
}

function stepContexts(runner: JobRunner): Contexts {
  return {
    ...runner.baseContexts,
    env: runner.env,
    steps: runner.stepsContext,
    job: {
      ...(runner.baseContexts.job as object),
      status: runner.state.cancelled ? "cancelled" : runner.status,
    },
  };
}

async function runStepOf(runner: JobRunner, step: Step, raw: RawStep, rawJob: RawJob): Promise<void> {
  const { state } = runner;
  const contexts = stepContexts(runner);
  const functions = statusFunctions({
    success: runner.status === "success",
    failure: runner.status === "failure",
    cancelled: state.cancelled,
  });
  const uses = "uses" in step ? step.uses.value : undefined;
  const name =
    asString(evaluateTokenSafe(step.name, contexts)) ||
    (uses ? `Run ${uses}` : `Run ${firstLine(raw.run ?? "")}`);
  const record = stepRecord({ name, id: step.id, ...(uses ? { uses } : {}) });
  runner.result.steps.push(record);
  const condition =
    "if" in step && step.if
      ? Boolean(evaluateToken(step.if, contexts, functions))
      : !state.cancelled && runner.status === "success";
  if (!condition || Date.now() > runner.deadline) {
    runner.stepsContext[step.id] = { outputs: {}, outcome: "skipped", conclusion: "skipped" };
    return;
  }
  const started = Date.now();
  const stepEnv = stringMap(evaluateToken("env" in step ? step.env : undefined, contexts));
  const continueOnError = Boolean(evaluateRaw(raw["continue-on-error"] ?? false, contexts));
  const stepTimeout =
    raw["timeout-minutes"] !== undefined
      ? Number(evaluateRaw(raw["timeout-minutes"], contexts)) * 60_000
      : undefined;
  let outcome: Result;
  try {
    if ("run" in step)
      outcome = await runScript(runner, step, raw, rawJob, stepEnv, record, contexts, stepTimeout);
    else if (uses)
      outcome = await runUses(runner, uses, step.id, raw, stepEnv, record, contexts, stepTimeout);
    else throw new Error(`step ${step.id}: neither run nor uses`);
  } catch (error) {
    state.log(`    ${error instanceof Error ? error.message : String(error)}`);
    record.log += `${error instanceof Error ? error.message : String(error)}\n`;
    record.annotations.push({
      command: "error",
      properties: {},
      message: error instanceof Error ? error.message : String(error),
    });
    outcome = "failure";
  }
  if (state.cancelled && outcome === "failure") outcome = "cancelled";
  record.outcome = outcome;
  record.conclusion = outcome === "failure" && continueOnError ? "success" : outcome;
  record.durationMs = Date.now() - started;
  runner.stepsContext[step.id] = {
    outputs: record.outputs,
    outcome: record.outcome,
    conclusion: record.conclusion,
  };
  if (record.conclusion === "failure") runner.status = "failure";
  state.log(`  ${record.conclusion.padEnd(9)} ${name}`);
}

/** A step's record before it ran: skipped until it does. */
function stepRecord(identity: Pick<StepResult, "name" | "id" | "uses" | "post">): StepResult {
  return {
    ...identity,
    outcome: "skipped",
    conclusion: "skipped",
    outputs: {},
    inputs: {},
    env: {},
    log: "",
    annotations: [],
    durationMs: 0,
  };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/** GITHUB_OUTPUT/ENV/PATH/STATE/STEP_SUMMARY for one step, empty. */
function stepFiles(runner: JobRunner): Record<"output" | "env" | "path" | "state" | "summary", string> {
  const suffix = randomBytes(6).toString("hex");
  const make = (name: string) => {
    const file = join(runner.files, `${name}_${suffix}`);
    writeFileSync(file, "");
    handOver(runner.state, file);
    return file;
  };
  return {
    output: make("set_output"),
    env: make("set_env"),
    path: make("add_path"),
    state: make("save_state"),
    summary: make("step_summary"),
  };
}

function stepEnvironment(
  runner: JobRunner,
  files: ReturnType<typeof stepFiles>,
  stepEnv: Record<string, string>,
  actionId: string,
): Record<string, string> {
  const github = runner.baseContexts.github as Record<string, unknown>;
  const path = [...runner.path, process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"].join(":");
  const claims = {
    runId: runner.state.runId,
    jobId: runner.runtimeJobId,
    cacheScopes: runner.state.cacheScopes,
  };
  return {
    PATH: path,
    HOME: runner.home,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_NAME: String(github.event_name),
    GITHUB_EVENT_PATH: String(github.event_path),
    GITHUB_REF: String(github.ref),
    GITHUB_REF_NAME: String(github.ref_name),
    GITHUB_REF_TYPE: String(github.ref_type),
    GITHUB_HEAD_REF: String(github.head_ref),
    GITHUB_BASE_REF: String(github.base_ref),
    GITHUB_SHA: String(github.sha),
    GITHUB_REPOSITORY: String(github.repository),
    GITHUB_REPOSITORY_OWNER: String(github.repository_owner),
    GITHUB_SERVER_URL: String(github.server_url),
    GITHUB_API_URL: String(github.api_url),
    GITHUB_GRAPHQL_URL: String(github.graphql_url),
    GITHUB_RUN_ID: runner.state.runId,
    GITHUB_RUN_NUMBER: String(github.run_number),
    GITHUB_RUN_ATTEMPT: String(github.run_attempt),
    GITHUB_RETENTION_DAYS: String(github.retention_days),
    GITHUB_JOB: String(github.job),
    GITHUB_ACTION: actionId,
    GITHUB_ACTOR: String(github.actor),
    GITHUB_TRIGGERING_ACTOR: String(github.triggering_actor),
    GITHUB_WORKFLOW: String(github.workflow),
    GITHUB_WORKFLOW_REF: `${github.repository}/${runner.state.workflow.path}@${github.ref}`,
    GITHUB_WORKFLOW_SHA: String(github.sha),
    GITHUB_WORKSPACE: runner.workspace,
    RUNNER_TEMP: runner.runnerTemp,
    RUNNER_TOOL_CACHE: join(runner.workspace, "../../_tool"),
    RUNNER_OS: "Linux",
    RUNNER_ARCH: process.arch === "arm64" ? "ARM64" : "X64",
    RUNNER_NAME: "goflow-local",
    RUNNER_ENVIRONMENT: "github-hosted",
    ...runner.state.results.runtimeEnv(claims),
    ...runner.env,
    ...stepEnv,
  };
}

/** After a step: its GITHUB_ENV and GITHUB_PATH count for the next ones, its summary for the job's. */
function collectStepFiles(runner: JobRunner, files: ReturnType<typeof stepFiles>, record: StepResult): void {
  record.outputs = parseKeyValueFile(readFileSync(files.output, "utf8"));
  Object.assign(runner.env, parseKeyValueFile(readFileSync(files.env, "utf8")));
  const added = readFileSync(files.path, "utf8").split("\n").filter(Boolean);
  runner.path.unshift(...added.reverse());
  runner.result.summary += readFileSync(files.summary, "utf8");
}

async function runScript(
  runner: JobRunner,
  step: Step & { run: { value?: string } },
  raw: RawStep,
  rawJob: RawJob,
  stepEnv: Record<string, string>,
  record: StepResult,
  contexts: Contexts,
  timeoutMs: number | undefined,
): Promise<Result> {
  const script = asString(evaluateToken(step.run as Parameters<typeof evaluateToken>[0], contexts));
  const shell = raw.shell ?? rawJob.defaults?.run?.shell ?? runner.scope.raw.defaults?.run?.shell ?? "bash";
  if (shell !== "bash") throw new Error(`shell: ${shell} is not supported by this runner (only bash)`);
  const directory = asString(
    evaluateRaw(
      raw["working-directory"] ??
        rawJob.defaults?.run?.["working-directory"] ??
        runner.scope.raw.defaults?.run?.["working-directory"] ??
        "",
      contexts,
    ),
  );
  const cwd = resolve(runner.workspace, directory);
  if (!existsSync(cwd))
    throw new Error(`working-directory ${directory || "."} does not exist in the workspace (${cwd})`);
  const file = join(runner.runnerTemp, `${randomBytes(8).toString("hex")}.sh`);
  writeFileSync(file, script);
  handOver(runner.state, file);
  const files = stepFiles(runner);
  const env = stepEnvironment(runner, files, stepEnv, step.id);
  record.env = stepEnv;
  // The runner's bash: `bash --noprofile --norc -eo pipefail {0}`.
  const exit = await spawnStep(
    runner,
    "bash",
    ["--noprofile", "--norc", "-eo", "pipefail", file],
    env,
    cwd,
    record,
    timeoutMs,
  );
  collectStepFiles(runner, files, record);
  return exit === 0 ? "success" : "failure";
}

interface ActionDefinition {
  inputs?: Record<string, { default?: unknown; required?: boolean }>;
  runs?: { using?: string; main?: string; post?: string; "post-if"?: string };
}

async function runUses(
  runner: JobRunner,
  uses: string,
  id: string,
  raw: RawStep,
  stepEnv: Record<string, string>,
  record: StepResult,
  contexts: Contexts,
  timeoutMs: number | undefined,
): Promise<Result> {
  const given = stringMap(evaluateRaw(raw.with ?? {}, contexts));
  record.inputs = given;
  record.env = stepEnv;
  if (/^actions\/checkout@/.test(uses)) return emulateCheckout(runner, given, record);
  const actionDir = await resolveAction(runner, uses);
  const definition = parseYaml(readFileSync(join(actionDir, "action.yml"), "utf8")) as ActionDefinition;
  const runs = definition.runs;
  if (!runs?.main || !runs.using?.startsWith("node")) throw new Error(`${uses}: only node actions run here`);
  const files = stepFiles(runner);
  const env = stepEnvironment(runner, files, stepEnv, id);
  env.GITHUB_ACTION_PATH = actionDir;
  for (const [name, spec] of Object.entries(definition.inputs ?? {})) {
    const value =
      name in given
        ? given[name]
        : asString(evaluateRaw(spec.default === undefined ? "" : String(spec.default), contexts));
    if (spec.required && value === "" && !(name in given))
      throw new Error(`${uses}: input '${name}' is required`);
    env[inputVariable(name)] = value ?? "";
  }
  for (const name of Object.keys(given))
    if (!(name in (definition.inputs ?? {})))
      record.annotations.push({
        command: "warning",
        properties: {},
        message: `Unexpected input(s) '${name}'`,
      });
  const node = runnableNode(runner.state, nodeForRunsUsing(runs.using));
  const exit = await spawnStep(
    runner,
    node,
    [join(actionDir, runs.main)],
    env,
    runner.workspace,
    record,
    timeoutMs,
  );
  const stateValues = parseKeyValueFile(readFileSync(files.state, "utf8"));
  collectStepFiles(runner, files, record);
  if (runs.post) {
    const postEnv = { ...env };
    for (const [key, value] of Object.entries(stateValues)) postEnv[`STATE_${key}`] = value;
    runner.posts.push({
      name: `Post ${record.name}`,
      id,
      uses,
      node,
      script: join(actionDir, runs.post),
      condition: runs["post-if"] ?? "always()",
      env: postEnv,
      actionDir,
    });
  }
  return exit === 0 ? "success" : "failure";
}

async function runPost(runner: JobRunner, post: PendingPost): Promise<void> {
  const functions = statusFunctions({
    success: runner.status === "success",
    failure: runner.status === "failure",
    cancelled: runner.state.cancelled,
  });
  const condition = post.condition.replace(/^\$\{\{\s*|\s*\}\}$/g, "");
  const record = stepRecord({ name: post.name, id: post.id, uses: post.uses, post: true });
  runner.result.steps.push(record);
  if (!evaluateCondition(condition, stepContexts(runner), functions)) return;
  const started = Date.now();
  const files = stepFiles(runner);
  const env = {
    ...post.env,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
  };
  // Post steps run even after a cancel; a cancel during them is not forwarded again.
  const exit = await spawnStep(
    runner,
    post.node,
    [post.script],
    env,
    runner.workspace,
    record,
    undefined,
    false,
  );
  collectStepFiles(runner, files, record);
  record.outcome = exit === 0 ? "success" : "failure";
  record.conclusion = record.outcome;
  record.durationMs = Date.now() - started;
  if (record.outcome === "failure") runner.status = "failure";
  runner.state.log(`  ${record.conclusion.padEnd(9)} ${post.name}`);
}

function evaluateCondition(
  condition: string,
  contexts: Contexts,
  functions: Map<string, FunctionDefinition>,
): boolean {
  return Boolean(evaluateRaw(`\${{ ${condition} }}`, contexts, functions));
}

async function resolveAction(runner: JobRunner, uses: string): Promise<string> {
  if (uses.startsWith("./")) {
    const dir = resolve(runner.workspace, uses);
    if (!existsSync(join(dir, "action.yml")))
      throw new Error(`${uses}: no action.yml at ${dir} (was it checked out?)`);
    return dir;
  }
  const toolkit = new RegExp(`^${TOOLKIT_REPOSITORY}/(.+)@(.+)$`).exec(uses);
  if (toolkit?.[1]) return join(runner.state.toolkit.dir, toolkit[1]);
  const standIn = await standInAction(uses);
  if (standIn) return standIn;
  throw new Error(
    `${uses}: this runner has no code for it (the toolkit's actions, checkout, upload- and download-artifact only)`,
  );
}

/**
 * actions/checkout, emulated: the caller's repository at the run's commit
 * (a clone of --repo), or the toolkit at the commit this runner has, which is
 * the only commit it can give: a reusable workflow asking for another ref of
 * the toolkit fails here as it would fetch other code on GitHub.
 */
function emulateCheckout(runner: JobRunner, given: Record<string, string>, record: StepResult): Result {
  const github = runner.baseContexts.github as Record<string, unknown>;
  const repository = given.repository || String(github.repository);
  const ref = given.ref || "";
  const dest = resolve(runner.workspace, given.path ?? "");
  if (!dest.startsWith(runner.workspace))
    throw new Error(`checkout path '${given.path}' is outside the workspace`);
  mkdirSync(dest, { recursive: true });
  if (repository === TOOLKIT_REPOSITORY) {
    const { dir, sha } = runner.state.toolkit;
    if (ref !== sha) throw new Error(`checkout of ${repository} at '${ref}': this runner has only ${sha}`);
    const sparse = (given["sparse-checkout"] ?? "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const parts =
      sparse.length > 0 ? [...sparse, "action.yml"] : ["action.yml", "actions", "dist", ".github"];
    for (const part of parts)
      if (existsSync(join(dir, part))) cpSync(join(dir, part), join(dest, part), { recursive: true });
    handOver(runner.state, dest);
    record.log += `checked out ${repository}@${sha} (${parts.join(", ")}) into ${dest}\n`;
    return "success";
  }
  if (repository !== github.repository)
    throw new Error(
      `checkout of ${repository}: only ${github.repository} and ${TOOLKIT_REPOSITORY} are known here`,
    );
  const sha = ref || String(github.sha);
  const clone = mkdtempSync(join(runner.runnerTemp, "checkout-"));
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", resolve(runner.state.options.repo), clone], {
    stdio: "pipe",
  });
  execFileSync("git", ["-C", clone, "checkout", "--quiet", "--detach", sha], { stdio: "pipe" });
  cpSync(clone, dest, { recursive: true, verbatimSymlinks: true });
  rmSync(clone, { recursive: true, force: true });
  handOver(runner.state, dest);
  record.log += `checked out ${repository}@${sha} into ${dest}\n`;
  return "success";
}

function spawnStep(
  runner: JobRunner,
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  record: StepResult,
  timeoutMs: number | undefined,
  cancellable = true,
): Promise<number> {
  const { state } = runner;
  return new Promise((resolvePromise, reject) => {
    const user = state.options.user;
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    if (cancellable) state.current = child;
    let buffered = "";
    const masks = Object.values(runner.scope.secrets).filter((value) => value.length > 0);
    const onData = (chunk: string, stdout: boolean) => {
      if (stdout) buffered += chunk;
      for (const line of chunk.split("\n")) {
        const added = /^::add-mask::(.+)$/.exec(line.trim());
        if (added?.[1]) masks.push(added[1]);
        else if (line.trim() && !line.startsWith("::debug::")) state.log(`    ${mask(line, masks)}`);
      }
      // The log as GitHub shows it: passed secrets and ::add-mask:: values are ***.
      record.log += mask(chunk.replace(/^::add-mask::.*$/gm, "::add-mask::***"), masks);
      const trigger = state.options.cancelWhen;
      if (
        cancellable &&
        trigger &&
        !state.cancelled &&
        (!trigger.job || trigger.job.test(runner.result.name)) &&
        trigger.when.test(record.log)
      )
        cancelRun(state);
    };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => onData(chunk, true));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => onData(chunk, false));
    const remaining = Math.max(1_000, runner.deadline - Date.now());
    const limit = Math.min(remaining, timeoutMs ?? remaining);
    const timer = setTimeout(() => {
      runner.timedOut = limit === remaining;
      record.log += `\nthe step exceeded its time limit (${Math.round(limit / 1000)} s)\n`;
      child.kill("SIGINT");
      setTimeout(() => killGroup(child), CANCEL_GRACE_MS);
    }, limit);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (state.current === child) state.current = undefined;
      killGroup(child);
      const commands = parseWorkflowCommands(buffered);
      record.annotations.push(...commands.filter((c) => ["error", "warning", "notice"].includes(c.command)));
      resolvePromise(code ?? 1);
    });
  });
}

function mask(line: string, secrets: string[]): string {
  let masked = line;
  for (const secret of secrets) masked = masked.split(secret).join("***");
  return masked;
}

function stringMap(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new Error(`expected a mapping, got ${JSON.stringify(value)}`);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asString(item)]));
}

function listImages(references: string[]): Record<string, string> {
  const images: Record<string, string> = {};
  for (const reference of references)
    for (const line of execFileSync(
      "docker",
      [
        "images",
        "--no-trunc",
        "--format",
        "{{.Repository}}:{{.Tag}} {{.ID}}",
        "--filter",
        `reference=${reference}`,
      ],
      { encoding: "utf8" },
    ).split("\n")) {
      const [name, id] = line.trim().split(" ");
      if (name && id) images[name] = id;
    }
  return images;
}

/** With `user`: what the runner made becomes the runner user's, as a hosted runner's folders are. */
function handOver(state: RunState, path: string): void {
  const user = state.options.user;
  if (!user) return;
  // lchown, never following a link: a checkout may hold dangling ones.
  const walk = (entry: string) => {
    lchownSync(entry, user.uid, user.gid);
    if (lstatSync(entry).isDirectory()) for (const name of readdirSync(entry)) walk(join(entry, name));
  };
  walk(path);
}

/**
 * The pinned Node where the runner user can run it: root's cache is closed to other users, so the
 * binary is linked (or copied) into the runner's folder, once per run.
 */
function runnableNode(state: RunState, binary: string): string {
  if (!state.options.user) return binary;
  const staged = join(state.runnerRoot, "_node", binary.replace(/[^\w.-]+/g, "_"), "node");
  if (!existsSync(staged)) {
    mkdirSync(join(staged, ".."), { recursive: true, mode: 0o755 });
    try {
      linkSync(binary, staged);
    } catch {
      copyFileSync(binary, staged);
      chmodSync(staged, 0o755);
    }
  }
  return staged;
}

function rootOwnedPaths(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.uid === 0) found.push(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(root);
  return found;
}

function removeImages(references: string[]): void {
  for (const reference of references) {
    const ids = execFileSync("docker", ["images", "--quiet", "--filter", `reference=${reference}`], {
      encoding: "utf8",
    })
      .split("\n")
      .filter(Boolean);
    if (ids.length > 0)
      execFileSync("docker", ["image", "rm", "--force", ...new Set(ids)], { stdio: "ignore" });
  }
}

function gitHead(dir: string): string {
  return execFileSync("git", ["-C", dir, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
}

export function summarize(run: WorkflowRun): string {
  const lines = [`run ${run.runId}: ${run.conclusion}`];
  for (const job of run.jobs) {
    lines.push(`${job.result.padEnd(9)} ${job.id}  ${job.name}  ${(job.durationMs / 1000).toFixed(1)} s`);
    for (const step of job.steps)
      lines.push(`  ${step.conclusion.padEnd(9)} ${step.name}  ${(step.durationMs / 1000).toFixed(1)} s`);
  }
  return lines.join("\n");
}

/** Appends to a file, for a test's log of everything the runner printed. */
export function fileLogger(path: string): (line: string) => void {
  return (line) => appendFileSync(path, `${line}\n`);
}
