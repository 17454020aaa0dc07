import { formatLocation } from "../errors.js";
import { formatDuration } from "../rules/format.js";
import type { Finding } from "../rules/report/finding.js";
import type { Reporter } from "./reporter.js";

const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
export const colours = {
  red: paint("31"),
  green: paint("32"),
  yellow: paint("33"),
  dim: paint("2"),
  bold: paint("1"),
};

/** The Reporter for the `goflow` CLI: plain lines, coloured on a terminal. */
export class TerminalReporter implements Reporter {
  private readonly secrets: string[] = [];
  private depth = 0;

  constructor(
    private readonly verbose = Boolean(process.env.GOFLOW_DEBUG),
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  info(message: string): void {
    for (const line of this.mask(message).split("\n")) this.write(`${"  ".repeat(this.depth)}${line}`);
  }
  debug(message: string): void {
    if (this.verbose) this.info(colours.dim(message));
  }
  warning(message: string): void {
    this.info(colours.yellow(`warning: ${message}`));
  }
  annotate(finding: Finding): void {
    const where = finding.location ? `${formatLocation(finding.location)}: ` : "";
    const label = finding.severity === "error" ? colours.red("error") : colours.yellow(finding.severity);
    this.info(`${where}${label}: ${finding.title ? `${finding.title}: ` : ""}${finding.message}`);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    this.info(colours.bold(`▶ ${name}`));
    this.depth++;
    let ok = false;
    try {
      const result = await fn();
      ok = true;
      return result;
    } finally {
      this.depth--;
      const mark = ok ? colours.green("✓") : colours.red("✗");
      this.info(`${mark} ${name} ${colours.dim(`(${formatDuration(Date.now() - started)})`)}`);
    }
  }
  setOutput(name: string, value: string): void {
    this.debug(`output ${name}=${value}`);
  }
  setSecret(value: string): void {
    if (value) this.secrets.push(value);
  }
  async appendSummary(markdown: string): Promise<void> {
    // Tables read fine as they are in a terminal; the CLI prints its own closing summary.
    this.debug(markdown);
  }
  private mask(text: string): string {
    return this.secrets.reduce((masked, secret) => masked.split(secret).join("***"), text);
  }
}
