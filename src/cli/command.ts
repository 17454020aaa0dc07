import type { ParseArgsConfig } from "node:util";
import type { Reporter } from "../runtime/reporter.js";
import type { StageOutcome } from "../stages/stage-contract.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** One `goflow <name>` subcommand: its flags, its help, and what it runs. */
export interface Command {
  name: string;
  summary: string;
  /** Shown by `goflow <name> --help`: usage line and flag descriptions. */
  help: string;
  options: OptionSpec;
  run(args: ParsedArgs, reporter: Reporter): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** 0 when the stage's work ran and succeeded, 1 when it failed, 130 (as after Ctrl-C) when cancelled. */
export function exitCodeOf(outcome: StageOutcome): number {
  return { ok: 0, failure: 1, cancelled: 130 }[outcome.status];
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function listFlag(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}
