import { parseArgs } from "node:util";
import { ConfigurationError } from "../errors.js";
import { ProcessError } from "../runtime/process.js";
import { colours, TerminalReporter } from "../runtime/terminal-reporter.js";
import type { Command } from "./command.js";
import { commands } from "./commands/index.js";
import { runCliEntry } from "./entry.js";

const USAGE = `goflow: the goflow-actions pipeline on your machine

Usage: goflow <command> [options] [dir]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join("\n")}

Run 'goflow <command> --help' for the options of a command.`;

/** The one place the CLI turns errors into a message and an exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`goflow: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  const reporter = new TerminalReporter();
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help === true) {
      console.log(command.help);
      return 0;
    }
    return await command.run(args, reporter);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(`${colours.red("error")}: ${error.message}`);
      return 2;
    }
    if (error instanceof ProcessError) {
      console.error(`${colours.red("error")}: a command failed: ${error.message}`);
      return 1;
    }
    console.error(
      `${colours.red("error")}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}

function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ConfigurationError(
      `${error instanceof Error ? error.message : String(error)}; see 'goflow ${command.name} --help'`,
    );
  }
}

const argv = process.argv.slice(2);
runCliEntry(argv[0] ? `goflow ${argv[0]}` : "goflow", () => main(argv));
