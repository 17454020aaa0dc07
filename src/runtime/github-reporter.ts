import * as core from "@actions/core";
import { formatDuration } from "../rules/format.js";
import { relativeToWorkspace } from "../rules/paths.js";
import type { Finding } from "../rules/report/finding.js";
import type { Reporter } from "./reporter.js";

/** The Reporter for actions: workflow commands, GITHUB_OUTPUT and the job summary. */
export class GitHubReporter implements Reporter {
  constructor(private readonly workspace = process.env.GITHUB_WORKSPACE) {}

  info(message: string): void {
    core.info(message);
  }
  debug(message: string): void {
    core.debug(message);
  }
  warning(message: string): void {
    core.warning(message);
  }
  annotate(finding: Finding): void {
    const properties: core.AnnotationProperties = {};
    if (finding.title) properties.title = finding.title;
    if (finding.location) {
      properties.file = relativeToWorkspace(this.workspace, finding.location.file);
      if (finding.location.line !== undefined) properties.startLine = finding.location.line;
      if (finding.location.column !== undefined) properties.startColumn = finding.location.column;
    }
    if (finding.severity === "error") core.error(finding.message, properties);
    else if (finding.severity === "warning") core.warning(finding.message, properties);
    else core.notice(finding.message, properties);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    core.startGroup(name);
    let ok = false;
    try {
      const result = await fn();
      ok = true;
      return result;
    } finally {
      core.endGroup();
      core.info(`${ok ? "✓" : "✗"} ${name} (${formatDuration(Date.now() - started)})`);
    }
  }
  setOutput(name: string, value: string): void {
    core.setOutput(name, value);
  }
  setSecret(value: string): void {
    core.setSecret(value);
  }
  async appendSummary(markdown: string): Promise<void> {
    // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write; that is not an error.
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(markdown, true).write();
  }
}
