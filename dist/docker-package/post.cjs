const __goflow_import_meta_url = require("node:url").pathToFileURL(__filename).href;
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

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

// src/rules/compose/subnets.ts
var POOLS = [
  { base: ipv4(10, 0, 0, 0), prefix: 8 },
  { base: ipv4(172, 16, 0, 0), prefix: 12 },
  { base: ipv4(192, 168, 0, 0), prefix: 16 }
];
function ipv4(a, b, c, d) {
  return ((a * 256 + b) * 256 + c) * 256 + d;
}

// src/rules/format.ts
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(Math.max(0, ms))} ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1e3);
  return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
}
function lastLines(text, count, separator = "\n") {
  return text.trim().split("\n").slice(-count).join(separator);
}

// src/runtime/process.ts
var import_node_child_process = require("node:child_process");
var import_node_fs = require("node:fs");
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
function describeCommand(command, args) {
  return [command, ...args].map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a)).join(" ");
}
function runProcess(command, args, options = {}) {
  const started = Date.now();
  const limit = options.captureLimit ?? DEFAULT_CAPTURE_LIMIT;
  const env = options.replaceEnv ? { ...options.env } : { ...process.env, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === void 0) delete env[key];
  return new Promise((resolve, reject) => {
    const child = (0, import_node_child_process.spawn)(command, [...args], {
      cwd: options.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
      signal: options.signal
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const file = options.stdoutFile ? (0, import_node_fs.createWriteStream)(options.stdoutFile) : void 0;
    const keepTail = (text) => text.length > limit ? text.slice(text.length - limit) : text;
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      if (file) file.write(chunk);
      else stdout = keepTail(stdout + chunk);
      options.onStdout?.(chunk);
    });
    child.stderr.on("data", (chunk) => {
      stderr = keepTail(stderr + chunk);
      options.onStderr?.(chunk);
    });
    child.stdin.on("error", () => {
    });
    child.stdin.end(options.input ?? "");
    let killTimer;
    const timeout = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), 5e3);
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on("error", (error2) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      file?.end();
      const hint = error2.code === "ENOENT" ? `: '${command}' is not installed or not on PATH` : "";
      reject(new Error(`could not start ${describeCommand(command, args)}${hint} (${error2.message})`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      const finish = () => resolve({
        command,
        args,
        exitCode: code ?? (signal ? 128 + signalNumber(signal) : 1),
        stdout,
        stderr,
        timedOut,
        durationMs: Date.now() - started
      });
      if (file) file.end(finish);
      else finish();
    });
  });
}
async function runProcessChecked(command, args, options = {}) {
  const result = await runProcess(command, args, options);
  if (result.exitCode !== 0 || result.timedOut) throw new ProcessError(describeFailure(result), result);
  return result;
}
function describeFailure(result) {
  const what = describeCommand(result.command, result.args);
  const why = result.timedOut ? "timed out" : `exited with code ${result.exitCode}`;
  const detail = lastLines(result.stderr.trim() || result.stdout, 20);
  return `${what} ${why}${detail ? `:
${detail}` : ""}`;
}
function signalNumber(signal) {
  const numbers = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}

// src/runtime/docker.ts
var RUN_LABEL = "io.goflow.run";
var Docker = class {
  binary;
  env;
  constructor(options = {}) {
    this.binary = options.binary ?? "docker";
    this.env = options.env ?? {};
  }
  /** Runs `docker <args>` and returns the result whatever the exit code. */
  run(args, options = {}) {
    return runProcess(this.binary, args, { ...options, env: { ...this.env, ...options.env } });
  }
  /** Runs `docker <args>` and throws a ProcessError naming the command when it fails. */
  checked(args, options = {}) {
    return runProcessChecked(this.binary, args, { ...options, env: { ...this.env, ...options.env } });
  }
  /** Fails with what to do when the engine cannot be reached, before anything else runs. */
  async ensureReachable() {
    let result;
    try {
      result = await this.run(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 3e4 });
    } catch (error2) {
      throw new ConfigurationError(
        `Docker is not installed: ${error2 instanceof Error ? error2.message : String(error2)}. Install Docker Engine with the Compose v2 plugin.`
      );
    }
    if (result.exitCode !== 0 || result.timedOut) {
      const detail = lastLines(result.stderr || result.stdout, 3, " ");
      throw new ConfigurationError(
        `Docker is not reachable (${detail || "no answer"}). Start the engine (for example \`sudo systemctl start docker\`), check that your user may use it (the docker group), or set DOCKER_HOST.`
      );
    }
  }
  async imageExists(reference) {
    const result = await this.run(["image", "inspect", "--format", "{{.Id}}", reference], {
      timeoutMs: 6e4
    });
    return result.exitCode === 0;
  }
  /** Fails before any container starts when a user-defined network (`inputName`) does not exist. */
  async ensureNetwork(name, inputName) {
    const result = await this.run(["network", "inspect", "--format", "{{.Name}}", name], {
      timeoutMs: 3e4
    });
    if (result.exitCode === 0) return;
    throw new ConfigurationError(
      `${inputName} '${name}': there is no Docker network of that name. Create it first (docker network create ${name}), or use host, bridge or none.`
    );
  }
  /** Uses a local image when there is one, else pulls it; says which input to fix when neither works. */
  async ensureImage(reference, inputName) {
    if (await this.imageExists(reference)) return;
    const pulled = await this.run(["pull", reference], { timeoutMs: 15 * 6e4 });
    if (pulled.exitCode === 0) return;
    const detail = lastLines(pulled.stderr || pulled.stdout, 2, " ");
    throw new ConfigurationError(
      `${inputName} '${reference}' is not available locally and could not be pulled (${detail}). Check the image name and tag, or log in to its registry first.`
    );
  }
  /**
   * Removes every container, network and volume carrying `label=value`, in
   * the order that lets each go (containers hold networks and volumes).
   * Returns what was removed; never throws, because cleanup must not hide the
   * result that came before it.
   */
  async removeLabelled(value, label = RUN_LABEL) {
    const filter = `label=${label}=${value}`;
    const removed = [];
    const errors = [];
    const kinds = [
      { list: ["ps", "-aq", "--filter", filter], remove: ["rm", "-f", "-v"] },
      { list: ["network", "ls", "-q", "--filter", filter], remove: ["network", "rm"] },
      { list: ["volume", "ls", "-q", "--filter", filter], remove: ["volume", "rm", "-f"] }
    ];
    for (const kind of kinds) {
      try {
        const listed = await this.checked(kind.list, { timeoutMs: 6e4 });
        const ids = listed.stdout.split("\n").map((s) => s.trim()).filter(Boolean);
        if (ids.length === 0) continue;
        const result = await this.run([...kind.remove, ...ids], { timeoutMs: 12e4 });
        if (result.exitCode === 0) removed.push(...ids);
        else errors.push(describeFailure(result));
      } catch (error2) {
        errors.push(error2 instanceof ProcessError ? error2.message : String(error2));
      }
    }
    return { removed, errors };
  }
  /**
   * Removes images carrying `label=value` (what a test run built for itself);
   * never throws. Kept apart from {@link removeLabelled}: other stages label
   * images they are meant to leave behind.
   */
  async removeLabelledImages(value, label = RUN_LABEL) {
    try {
      const listed = await this.checked(
        ["image", "ls", "--quiet", "--no-trunc", "--filter", `label=${label}=${value}`],
        { timeoutMs: 6e4 }
      );
      const ids = [...new Set(listed.stdout.split("\n").map((s) => s.trim()))].filter(Boolean);
      return await this.removeImages(ids, true);
    } catch (error2) {
      return { removed: [], errors: [error2 instanceof ProcessError ? error2.message : String(error2)] };
    }
  }
  /** `docker image rm` of these references (with `force`, also when other tags name them); never throws. */
  async removeImages(references, force = false) {
    if (references.length === 0) return { removed: [], errors: [] };
    const result = await this.run(["image", "rm", ...force ? ["--force"] : [], ...references], {
      timeoutMs: 12e4
    });
    if (result.exitCode === 0) return { removed: [...references], errors: [] };
    return { removed: [], errors: [describeFailure(result)] };
  }
  /** Lists what still carries the label: a test's proof that nothing was left behind. */
  async listLabelled(value, label = RUN_LABEL) {
    const filter = `label=${label}=${value}`;
    const list = async (args) => (await this.checked(args)).stdout.split("\n").map((s) => s.trim()).filter(Boolean);
    return {
      containers: await list(["ps", "-aq", "--filter", filter]),
      networks: await list(["network", "ls", "-q", "--filter", filter]),
      volumes: await list(["volume", "ls", "-q", "--filter", filter])
    };
  }
};
function dockerLogoutArgs(registry) {
  return ["logout", registry];
}

// node_modules/@actions/core/lib/command.js
var os = __toESM(require("os"), 1);

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
var crypto = __toESM(require("crypto"), 1);
var fs = __toESM(require("fs"), 1);
var os2 = __toESM(require("os"), 1);
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
var os4 = __toESM(require("os"), 1);

// node_modules/@actions/core/lib/summary.js
var import_os = require("os");
var import_fs = require("fs");
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = import_fs.promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, import_fs.constants.R_OK | import_fs.constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(import_os.EOL);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/platform.js
var import_os2 = __toESM(require("os"), 1);

// node_modules/@actions/io/lib/io-util.js
var fs2 = __toESM(require("fs"), 1);
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = import_os2.default.platform();
var arch = import_os2.default.arch();

// node_modules/@actions/core/lib/core.js
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
  issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function saveState(name, value) {
  const filePath = process.env["GITHUB_STATE"] || "";
  if (filePath) {
    return issueFileCommand("STATE", prepareKeyValueMessage(name, value));
  }
  issueCommand("save-state", { name }, toCommandValue(value));
}
function getState(name) {
  return process.env[`STATE_${name}`] || "";
}

// src/runtime/github-state.ts
var gitHubState = {
  save: (key, value) => saveState(key, value),
  get: (key) => getState(key)
};

// src/runtime/state.ts
var StateKey = {
  /** Set by every main step, so a post step can tell whether main ran at all. */
  mainStarted: "main-started",
  /** root action: "true" once every stage passed, so post saves the Go caches only then. */
  pipelineSucceeded: "pipeline-succeeded",
  /** go-build: cache entries to save in post (JSON). */
  goCache: "go-cache",
  /** docker-package: registry to log out of in post. */
  registryLogin: "registry-login",
  /** compose-test: run label of the environments to tear down in post. */
  composeRunLabel: "compose-run-label",
  /** compose-test: compose projects that may still be up (JSON list). */
  composeProjects: "compose-projects",
  /** compose-test: projects left up by keep-on-failure, which post must not remove (JSON list). */
  composeKeptProjects: "compose-kept-projects",
  /** compose-test: the run's temp folder (compose files, data-folder copies), removed in post if main could not. */
  composeTempDir: "compose-temp-dir",
  /** compose-test: local images a cleanup container may use to remove what containers wrote (JSON list). */
  composeCleanupImages: "compose-cleanup-images"
};

// src/rules/gitflow/settings.ts
var defaultGitflowSettings = Object.freeze({
  developBranch: "develop",
  featurePrefix: "feature/",
  releasePrefix: "release/",
  hotfixPrefix: "hotfix/",
  supportPrefix: "support/",
  versionTagPrefix: "v",
  keepVersionPrefix: false,
  extraTags: Object.freeze([]),
  latest: "auto"
});

// src/rules/gitflow/version-tag.ts
var PRERELEASE_IDENTIFIER = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
var VERSION = new RegExp(
  `^((?:0|[1-9]\\d*)(?:\\.(?:0|[1-9]\\d*)){0,2})(?:-(${PRERELEASE_IDENTIFIER}(?:\\.${PRERELEASE_IDENTIFIER})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`
);

// src/rules/gitflow/image-name.ts
var DOMAIN_COMPONENT = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
var REGISTRY_HOST = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?$`
);

// src/runtime/http.ts
var MAX_BODY_CHARACTERS = 8 * 1024 * 1024;

// src/stages/docker-package/package-runtime.ts
var MINUTE = 6e4;

// src/stages/docker-package/registry-login.ts
async function logoutRegistry(docker, registry, reporter) {
  try {
    const result = await docker.run(dockerLogoutArgs(registry), { timeoutMs: MINUTE });
    if (result.exitCode === 0) reporter.info(`logged out of ${registry}`);
    else reporter.warning(`docker logout ${registry} failed: ${describeFailure(result)}`);
  } catch (error2) {
    reporter.warning(`docker logout ${registry} failed: ${error2 instanceof Error ? error2.message : error2}`);
  }
}

// src/rules/report/junit-xml.ts
var TEXT_ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };
var ATTRIBUTE_ENTITIES = {
  ...TEXT_ENTITIES,
  '"': "&quot;",
  "'": "&apos;",
  // Parsers turn raw newlines and tabs in attributes into spaces; references keep them.
  "\n": "&#10;",
  "	": "&#9;"
};

// src/runtime/git.ts
var DEFAULT_TIMEOUT_MS2 = 5 * 6e4;

// src/runtime/fail-closed.ts
var ENDED_EARLY_EXIT_CODE = 70;
function runFailClosed(entry, body) {
  let settled = false;
  let reported = false;
  const endedEarly = (why) => {
    if (settled) return;
    if (!reported) {
      reported = true;
      entry.fail(describeEarlyEnd(entry.name, why, process.version));
    }
    process.exitCode = ENDED_EARLY_EXIT_CODE;
  };
  process.on("beforeExit", () => endedEarly("the process ran out of work while the stage was still running"));
  process.on("exit", (code) => {
    if (code === 0) endedEarly("something ended the process with exit code 0 before the stage returned");
  });
  body().then(
    () => {
      settled = true;
    },
    (error2) => {
      settled = true;
      process.exitCode = 1;
      entry.fail(`${entry.name}: ${error2 instanceof Error ? error2.stack ?? error2.message : String(error2)}`);
    }
  );
}
function describeEarlyEnd(name, why, nodeVersion) {
  return [
    `${name} ended before its stage finished: ${why}.`,
    "Nothing it reported can be trusted as a result, so the step fails.",
    "This is a bug in goflow-actions, not in your project: please open an issue with this log",
    `(with debug logging on: ACTIONS_STEP_DEBUG=true, or GOFLOW_DEBUG=1 for the CLI), the goflow-actions version or commit, and the Node version (${nodeVersion}).`
  ].join(" ");
}

// src/rules/paths.ts
var import_node_path = require("node:path");
function isInside(root, path) {
  const rel = (0, import_node_path.relative)(root, path);
  return rel === "" || !rel.startsWith(`..${import_node_path.sep}`) && rel !== ".." && !(0, import_node_path.isAbsolute)(rel);
}
function relativeToWorkspace(workspace, path) {
  if (!workspace || !(0, import_node_path.isAbsolute)(path) || !isInside(workspace, path)) return path;
  return (0, import_node_path.relative)(workspace, path).split(import_node_path.sep).join("/") || ".";
}

// src/runtime/github-reporter.ts
var GitHubReporter = class {
  constructor(workspace = process.env.GITHUB_WORKSPACE) {
    this.workspace = workspace;
  }
  workspace;
  info(message) {
    info(message);
  }
  debug(message) {
    debug(message);
  }
  warning(message) {
    warning(message);
  }
  annotate(finding) {
    const properties = {};
    if (finding.title) properties.title = finding.title;
    if (finding.location) {
      properties.file = relativeToWorkspace(this.workspace, finding.location.file);
      if (finding.location.line !== void 0) properties.startLine = finding.location.line;
      if (finding.location.column !== void 0) properties.startColumn = finding.location.column;
    }
    if (finding.severity === "error") error(finding.message, properties);
    else if (finding.severity === "warning") warning(finding.message, properties);
    else notice(finding.message, properties);
  }
  async group(name, fn) {
    const started = Date.now();
    startGroup(name);
    let ok = false;
    try {
      const result = await fn();
      ok = true;
      return result;
    } finally {
      endGroup();
      info(`${ok ? "\u2713" : "\u2717"} ${name} (${formatDuration(Date.now() - started)})`);
    }
  }
  setOutput(name, value) {
    setOutput(name, value);
  }
  setSecret(value) {
    setSecret(value);
  }
  async appendSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await summary.addRaw(markdown, true).write();
  }
};

// src/actions/entry.ts
function runActionEntry(name, body) {
  const reporter = new GitHubReporter();
  runFailClosed({ name, fail: (message) => setFailed(message) }, async () => {
    try {
      await body(reporter);
    } catch (error2) {
      reportFailure(name, error2, reporter);
    }
  });
}
function reportFailure(name, error2, reporter) {
  process.exitCode = 1;
  if (error2 instanceof ConfigurationError) {
    if (error2.location) {
      reporter.annotate({
        severity: "error",
        title: `${name}: configuration`,
        message: error2.message,
        location: error2.location
      });
      setFailed(`${name}: configuration error (see the annotation above)`);
    } else {
      setFailed(`${name}: ${error2.message}`);
    }
    return;
  }
  if (error2 instanceof Error) {
    if (error2.stack) reporter.debug(error2.stack);
    const prefix = error2 instanceof ProcessError ? "a command failed: " : "";
    setFailed(`${name}: ${prefix}${error2.message}`);
    return;
  }
  setFailed(`${name}: ${String(error2)}`);
}

// src/actions/docker-package/post.ts
runActionEntry("docker-package post", async (reporter) => {
  const registry = gitHubState.get(StateKey.registryLogin);
  if (!registry) return;
  await logoutRegistry(new Docker(), registry, reporter);
});
