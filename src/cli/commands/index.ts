import type { Command } from "../command.js";
import { packageCommand } from "./package.js";
import { tagsCommand } from "./tags.js";

/** Every `goflow` subcommand, in the order `goflow --help` lists them. */
export const commands: Command[] = [tagsCommand, packageCommand];
