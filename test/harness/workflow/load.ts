import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from "@actions/workflow-parser";
import type { FileReference } from "@actions/workflow-parser/workflows/file-reference";
import { parse as parseYaml } from "yaml";

/**
 * A caller workflow read the way GitHub reads it: parsed and converted by
 * @actions/workflow-parser, reusable workflows fetched one level deep (the
 * toolkit's own from this checkout, `./` ones from the caller's repository).
 * The converter drops some step and job fields the runner needs (`with`,
 * `shell`, `working-directory`, `timeout-minutes`, `permissions`,
 * `continue-on-error`), so the raw YAML of every file is kept beside it.
 */
export const TOOLKIT_REPOSITORY = "goflow-ci/goflow-actions";

export interface LoadedWorkflow {
  /** The caller's file, relative to its repository (.github/workflows/develop.yml). */
  path: string;
  name: string;
  template: WorkflowTemplate;
  raw: RawWorkflow;
  /** The called workflows, by the `uses:` string of the job that calls them. */
  called: Map<string, CalledWorkflow>;
}

export interface CalledWorkflow {
  uses: string;
  repository: string;
  path: string;
  /** The @version the caller asked for. */
  version: string;
  raw: RawWorkflow;
}

export interface RawJob {
  uses?: string;
  permissions?: unknown;
  "timeout-minutes"?: unknown;
  "continue-on-error"?: unknown;
  defaults?: { run?: { shell?: string; "working-directory"?: string } };
  steps?: RawStep[];
  with?: Record<string, unknown>;
  environment?: unknown;
}

export interface RawStep {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  shell?: string;
  "working-directory"?: string;
  "timeout-minutes"?: unknown;
  "continue-on-error"?: unknown;
}

export interface RawWorkflow {
  name?: string;
  permissions?: unknown;
  on?: { workflow_call?: { outputs?: Record<string, { value?: string }> } } | unknown;
  defaults?: { run?: { shell?: string; "working-directory"?: string } };
  jobs: Record<string, RawJob>;
}

export async function loadWorkflow(
  callerFile: string,
  options: { repo: string; toolkit: string },
): Promise<LoadedWorkflow> {
  const content = readFileSync(callerFile, "utf8");
  const parsed = parseWorkflow({ name: callerFile, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length > 0 || !parsed.value) throw new Error(`${callerFile}: ${errors.join("; ")}`);
  const called = new Map<string, CalledWorkflow>();
  const provider = {
    async getFileContent(ref: FileReference) {
      const file = locate(ref, options);
      const text = readFileSync(file.absolute, "utf8");
      called.set(file.uses, { ...file, raw: parseYaml(text) as RawWorkflow });
      return { name: file.path, content: text };
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, provider, {
    fetchReusableWorkflowDepth: 1,
  });
  if (template.errors?.length)
    throw new Error(`${callerFile}: ${template.errors.map((e) => e.Message).join("; ")}`);
  const raw = parseYaml(content) as RawWorkflow;
  const inRepo = relative(options.repo, resolve(callerFile));
  return {
    path: inRepo.startsWith("..") ? `.github/workflows/${callerFile.split("/").pop()}` : inRepo,
    name: raw.name ?? callerFile,
    template,
    raw,
    called,
  };
}

function locate(
  ref: FileReference,
  options: { repo: string; toolkit: string },
): { uses: string; repository: string; path: string; version: string; absolute: string } {
  if ("repository" in ref) {
    const repository = `${ref.owner}/${ref.repository}`;
    if (repository !== TOOLKIT_REPOSITORY)
      throw new Error(
        `reusable workflow ${repository}/${ref.path}@${ref.version}: only ${TOOLKIT_REPOSITORY}'s are known here`,
      );
    const absolute = join(options.toolkit, ref.path);
    if (!existsSync(absolute)) throw new Error(`${TOOLKIT_REPOSITORY} has no ${ref.path}`);
    return {
      uses: `${repository}/${ref.path}@${ref.version}`,
      repository,
      path: ref.path,
      version: ref.version,
      absolute,
    };
  }
  const absolute = join(options.repo, ref.path);
  return { uses: `./${ref.path}`, repository: "", path: ref.path, version: "", absolute };
}
