import type { Command } from "../command.js";

/** Every `goflow` subcommand, in the order `goflow --help` lists them. */
export const commands: Command[] = [];
