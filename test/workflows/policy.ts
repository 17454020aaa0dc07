/**
 * Security rules for GitHub workflows, checked over parsed YAML (issue #6):
 * no pull_request_target, no untrusted expression inside run:, least
 * privilege and a timeout on every job, third-party actions pinned by SHA,
 * no `secrets: inherit`.
 */
export interface Workflow {
  on?: unknown;
  permissions?: unknown;
  jobs?: Record<string, Job>;
}

interface Job {
  uses?: string;
  secrets?: unknown;
  permissions?: unknown;
  "timeout-minutes"?: unknown;
  "runs-on"?: unknown;
  steps?: Step[];
}

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

/** The toolkit's own actions and workflows: referenced by major tag, moved by the release process. */
export const TOOLKIT_REPOSITORY = "goflow-ci/goflow-actions";

const UNTRUSTED = [
  /github\.head_ref/,
  /github\.event\.pull_request\.[\w.-]+/,
  /github\.event\.head_commit\.[\w.-]+/,
  /github\.event\.(issue|comment|review|review_comment|discussion)\.[\w.-]+/,
  /inputs\.[\w-]+/,
];

export function checkWorkflowPolicy(workflow: Workflow): string[] {
  const problems: string[] = [];
  const triggers = typeof workflow.on === "string" ? [workflow.on] : Object.keys(workflow.on ?? {});
  if (triggers.includes("pull_request_target"))
    problems.push("on: pull_request_target runs fork code with secrets; use pull_request");
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    if (job.secrets === "inherit")
      problems.push(`jobs.${id}: secrets: inherit hands every secret over; pass named secrets`);
    if (job.permissions === undefined)
      problems.push(`jobs.${id}: no permissions block; grant the least it needs`);
    if (job.uses === undefined && job["timeout-minutes"] === undefined)
      problems.push(`jobs.${id}: no timeout-minutes; a hung job would run for 6 hours`);
    for (const [index, step] of (job.steps ?? []).entries()) {
      const where = `jobs.${id}.steps[${index}]`;
      for (const expression of step.run?.match(/\$\{\{[^}]*\}\}/g) ?? []) {
        const untrusted = UNTRUSTED.map((pattern) => pattern.exec(expression)?.[0]).find(Boolean);
        if (untrusted)
          problems.push(
            `${where}: untrusted ${untrusted} inside run: (script injection); pass it through env:`,
          );
      }
      if (step.uses && !isPinned(step.uses))
        problems.push(`${where}: ${step.uses} is not pinned to a 40-hex commit SHA`);
    }
    if (job.uses && !isPinned(job.uses))
      problems.push(`jobs.${id}: ${job.uses} is not pinned to a 40-hex commit SHA`);
  }
  return problems;
}

function isPinned(uses: string): boolean {
  if (uses.startsWith("./") || uses.startsWith("docker://")) return true;
  if (uses.startsWith(`${TOOLKIT_REPOSITORY}/`)) return true;
  return /@[0-9a-f]{40}$/.test(uses);
}

const LEVELS = ["none", "read", "write"] as const;
type Level = (typeof LEVELS)[number];

/** `read-all`/`write-all`/a map: the level granted for `scope`. */
function grantedLevel(permissions: unknown, scope: string): Level {
  if (permissions === "write-all") return "write";
  if (permissions === "read-all") return "read";
  if (typeof permissions !== "object" || permissions === null) return "none";
  const level = (permissions as Record<string, unknown>)[scope];
  return LEVELS.includes(level as Level) ? (level as Level) : "none";
}

/**
 * GitHub checks every job of a called workflow against the calling job's
 * permissions when it loads the workflow, before any `if:`: a caller must
 * grant what each called job asks for, even for a job that never runs on its
 * events (publish on a pull-request-only caller).
 */
export function checkCallerPermissions(caller: Workflow, calledPath: string, called: Workflow): string[] {
  const problems: string[] = [];
  for (const [id, job] of Object.entries(caller.jobs ?? {})) {
    if (!job.uses?.includes(calledPath)) continue;
    for (const [calledId, calledJob] of Object.entries(called.jobs ?? {})) {
      const asked = calledJob.permissions;
      if (typeof asked !== "object" || asked === null) continue;
      for (const [scope, level] of Object.entries(asked as Record<string, Level>)) {
        if (LEVELS.indexOf(grantedLevel(job.permissions, scope)) < LEVELS.indexOf(level))
          problems.push(
            `jobs.${id}: grants ${scope}: ${grantedLevel(job.permissions, scope)}, but ${calledPath}'s job ${calledId} asks for ${scope}: ${level}; GitHub refuses to load the workflow (grant it even if that job never runs for this caller's events)`,
          );
      }
    }
  }
  return problems;
}
