import type { Finding } from "../rules/report/finding.js";

/**
 * Everything a stage says to the outside world goes through a Reporter: the
 * GitHub implementation turns it into workflow commands and files, the
 * terminal one into readable lines. Stages never print or call @actions/core.
 */
export interface Reporter {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string): void;
  /** An error, warning or notice, attached to a file and line when the finding has one. */
  annotate(finding: Finding): void;
  /** Runs `fn` inside a collapsible log group and reports how long it took. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  setOutput(name: string, value: string): void;
  /** Masks a value in every later log line. */
  setSecret(value: string): void;
  /** Appends markdown to the job summary (the terminal shows it as text). */
  appendSummary(markdown: string): Promise<void>;
}

/** Collects everything, for tests of code that takes a Reporter. */
export class RecordingReporter implements Reporter {
  readonly lines: string[] = [];
  readonly findings: Finding[] = [];
  readonly outputs: Record<string, string> = {};
  readonly secrets: string[] = [];
  summary = "";

  info(message: string): void {
    this.lines.push(message);
  }
  debug(message: string): void {
    this.lines.push(`debug: ${message}`);
  }
  warning(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  annotate(finding: Finding): void {
    this.findings.push(finding);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`group: ${name}`);
    return fn();
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }
  setSecret(value: string): void {
    this.secrets.push(value);
  }
  async appendSummary(markdown: string): Promise<void> {
    this.summary += markdown;
  }
}

/**
 * Holds back what a step that runs ahead of its turn says (log lines,
 * annotations, summary), so it can be written later inside that step's own
 * group, in the order it was said. Outputs and secrets pass straight through:
 * a secret must be masked before any line that could show it.
 */
export class HeldReporter implements Reporter {
  private readonly held: Array<(target: Reporter) => unknown> = [];

  constructor(private readonly target: Reporter) {}

  info(message: string): void {
    this.held.push((target) => target.info(message));
  }
  debug(message: string): void {
    this.held.push((target) => target.debug(message));
  }
  warning(message: string): void {
    this.held.push((target) => target.warning(message));
  }
  annotate(finding: Finding): void {
    this.held.push((target) => target.annotate(finding));
  }
  /** GitHub's log has no nested groups: inside a step's group the name becomes a line. */
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.info(name);
    return fn();
  }
  setOutput(name: string, value: string): void {
    this.target.setOutput(name, value);
  }
  setSecret(value: string): void {
    this.target.setSecret(value);
  }
  async appendSummary(markdown: string): Promise<void> {
    this.held.push((target) => target.appendSummary(markdown));
  }
  /** Writes everything held so far to the target, once. */
  async release(): Promise<void> {
    for (const write of this.held.splice(0)) await write(this.target);
  }
}
