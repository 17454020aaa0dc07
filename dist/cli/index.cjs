#!/usr/bin/env node
const __goflow_import_meta_url = require("node:url").pathToFileURL(__filename).href;
"use strict";

// src/cli/main.ts
var import_node_util = require("node:util");

// src/errors.ts
var ConfigurationError = class extends Error {
  name = "ConfigurationError";
  location;
  constructor(message, location) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
    this.location = location;
  }
};
function formatLocation(location) {
  let text = location.file;
  if (location.line !== void 0) {
    text += `:${location.line}`;
    if (location.column !== void 0) text += `:${location.column}`;
  }
  return text;
}

// src/runtime/process.ts
var DEFAULT_TIMEOUT_MS = 10 * 6e4;
var DEFAULT_CAPTURE_LIMIT = 4 * 1024 * 1024;
var ProcessError = class extends Error {
  constructor(message, result) {
    super(message);
    this.result = result;
  }
  result;
  name = "ProcessError";
};

// src/runtime/reporter.ts
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)} ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)} s`;
  const minutes = Math.floor(ms / 6e4);
  return `${minutes} min ${Math.round(ms % 6e4 / 1e3)} s`;
}

// src/runtime/terminal-reporter.ts
var useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
var paint = (code) => (text) => useColour ? `\x1B[${code}m${text}\x1B[0m` : text;
var colours = {
  red: paint("31"),
  green: paint("32"),
  yellow: paint("33"),
  dim: paint("2"),
  bold: paint("1")
};
var TerminalReporter = class {
  constructor(verbose = Boolean(process.env.GOFLOW_DEBUG), write = (line) => process.stdout.write(`${line}
`)) {
    this.verbose = verbose;
    this.write = write;
  }
  verbose;
  write;
  secrets = [];
  depth = 0;
  info(message) {
    for (const line of this.mask(message).split("\n")) this.write(`${"  ".repeat(this.depth)}${line}`);
  }
  debug(message) {
    if (this.verbose) this.info(colours.dim(message));
  }
  warning(message) {
    this.info(colours.yellow(`warning: ${message}`));
  }
  annotate(finding) {
    const where = finding.location ? `${formatLocation(finding.location)}: ` : "";
    const label = finding.severity === "error" ? colours.red("error") : colours.yellow(finding.severity);
    this.info(`${where}${label}: ${finding.title ? `${finding.title}: ` : ""}${finding.message}`);
  }
  async group(name, fn) {
    const started = Date.now();
    this.info(colours.bold(`\u25B6 ${name}`));
    this.depth++;
    let ok = false;
    try {
      const result = await fn();
      ok = true;
      return result;
    } finally {
      this.depth--;
      const mark = ok ? colours.green("\u2713") : colours.red("\u2717");
      this.info(`${mark} ${name} ${colours.dim(`(${formatDuration(Date.now() - started)})`)}`);
    }
  }
  setOutput(name, value) {
    this.debug(`output ${name}=${value}`);
  }
  setSecret(value) {
    if (value) this.secrets.push(value);
  }
  async appendSummary(markdown) {
    this.debug(markdown);
  }
  mask(text) {
    return this.secrets.reduce((masked, secret) => masked.split(secret).join("***"), text);
  }
};

// src/cli/commands/index.ts
var commands = [];

// src/cli/main.ts
var USAGE = `goflow: the goflow-actions pipeline on your machine

Usage: goflow <command> [options] [dir]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join("\n")}

Run 'goflow <command> --help' for the options of a command.`;
async function main(argv) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`goflow: unknown command '${name}'

${USAGE}`);
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
      `${colours.red("error")}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`
    );
    return 1;
  }
}
function parseCommandArgs(command, argv) {
  try {
    return (0, import_node_util.parseArgs)({
      args: argv,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true
    });
  } catch (error) {
    throw new ConfigurationError(
      `${error instanceof Error ? error.message : String(error)}; see 'goflow ${command.name} --help'`
    );
  }
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  }
);
