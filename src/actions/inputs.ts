import * as core from "@actions/core";
import { ConfigurationError } from "../errors.js";
import type { ArtifactSettings } from "../runtime/artifact.js";

/**
 * Typed readers over the action's inputs; each action's inputs.ts uses them to
 * build its one Options object, so a bad value fails before any container
 * starts. Where the values come from is pluggable: INPUT_* on a runner,
 * filled in from goflow.yml, or the CLI's flags.
 */
export type InputSource = (name: string) => string;

export const runnerInputs: InputSource = (name) => core.getInput(name);

let source: InputSource = runnerInputs;

export function setInputSource(next: InputSource): void {
  source = next;
}

/** Reads with `next` as the source, then puts the runner's inputs back. */
export function readFrom<T>(next: InputSource, read: () => T): T {
  source = next;
  try {
    return read();
  } finally {
    source = runnerInputs;
  }
}

/** What the workflow (or the command line) says wins; goflow.yml fills in what it left empty. */
export function withFallback(primary: InputSource, fallback: Record<string, string>): InputSource {
  return (name) => primary(name).trim() || fallback[name] || "";
}

export function readInput(name: string, options: { required?: boolean } = {}): string {
  const value = source(name).trim();
  if (options.required && !value)
    throw new ConfigurationError(
      `input '${name}' is required: set it in the step's with: (or in goflow.yml)`,
    );
  return value;
}

export function readOptionalInput(name: string): string | undefined {
  return readInput(name) || undefined;
}

export function readBooleanInput(name: string, fallback: boolean): boolean {
  const value = readInput(name).toLowerCase();
  if (!value) return fallback;
  if (["true", "yes", "on", "1"].includes(value)) return true;
  if (["false", "no", "off", "0"].includes(value)) return false;
  throw new ConfigurationError(`input '${name}' is '${source(name)}'; use true or false`);
}

export function readChoiceInput<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const value = readInput(name);
  if (!value) return fallback;
  const match = choices.find((choice) => choice === value.toLowerCase());
  if (!match)
    throw new ConfigurationError(`input '${name}' is '${value}'; use one of: ${choices.join(", ")}`);
  return match;
}

/** Newline- or comma-separated lists, as docker/build-push-action reads them. */
export function readListInput(name: string): string[] {
  return readInput(name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item && !item.startsWith("#"));
}

export function readIntegerInput(name: string, fallback: number, minimum = 0): number {
  const value = readInput(name);
  if (!value) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < minimum)
    throw new ConfigurationError(`input '${name}' is '${value}'; use a whole number >= ${minimum}`);
  return Number(value);
}

/** `retention-days`: how long this step's uploads are kept; empty is the repository's setting. */
export function readArtifactSettings(): ArtifactSettings {
  const value = readInput("retention-days");
  return { retentionDays: value ? readIntegerInput("retention-days", 0, 1) : undefined };
}
