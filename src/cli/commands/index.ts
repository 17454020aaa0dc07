import type { Command } from "../command.js";
import { buildCommand } from "./build.js";
import { packageCommand } from "./package.js";
import { promoteCommand } from "./promote.js";
import { runCommand } from "./run.js";
import { tagsCommand } from "./tags.js";
import { testCommand } from "./test.js";

/** Every `goflow` subcommand, in the order `goflow --help` lists them. */
export const commands: Command[] = [
  runCommand,
  buildCommand,
  packageCommand,
  testCommand,
  promoteCommand,
  tagsCommand,
];
