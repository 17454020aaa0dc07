const __goflow_import_meta_url = require("node:url").pathToFileURL(__filename).href;
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
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

// src/runtime/cache.ts
var cache_exports = {};
__export(cache_exports, {
  GitHubCacheStore: () => GitHubCacheStore,
  createCacheStore: () => createCacheStore,
  noCacheService: () => noCacheService
});
function createCacheStore() {
  return cache.isFeatureAvailable() ? new GitHubCacheStore() : noCacheService;
}
var cache, GitHubCacheStore, noCacheService;
var init_cache = __esm({
  "src/runtime/cache.ts"() {
    "use strict";
    cache = __toESM(require("../vendor/actions-cache.cjs"), 1);
    GitHubCacheStore = class {
      available = true;
      restore(paths, primaryKey, restoreKeys) {
        return cache.restoreCache(paths, primaryKey, restoreKeys);
      }
      async save(paths, key) {
        await cache.saveCache(paths, key);
      }
    };
    noCacheService = {
      available: false,
      restore: async () => void 0,
      save: async () => void 0
    };
  }
});

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

// src/stages/go-build/cache.ts
var import_node_fs = require("node:fs");
var import_node_path2 = require("node:path");

// src/rules/format.ts
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(Math.max(0, ms))} ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1e3);
  return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
}
function formatBytes(bytes) {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

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

// src/stages/go-build/cache.ts
async function saveGoCache(stateStore, runtime) {
  const text = stateStore.get(StateKey.goCache);
  if (!text) return;
  const state = JSON.parse(text);
  const { reporter } = runtime;
  try {
    if (state.saveToService) {
      const service = await runtime.service();
      if (service) {
        const trimmed = trimBuildCache(state.buildDir, state.runStartedMs - GO_CACHE_TOUCH_INTERVAL_MS);
        reporter.info(
          `trimmed the build cache: ${trimmed.files} entries (${formatBytes(trimmed.bytes)}) this run did not use`
        );
        await service.save(state.paths, state.key);
        reporter.info(`saved the Go caches as ${state.key}`);
      }
    }
    (0, import_node_fs.writeFileSync)(state.markerFile, `${state.key}
`);
  } catch (error2) {
    reporter.warning(
      `saving the Go caches failed: ${error2 instanceof Error ? error2.message : String(error2)}`
    );
  }
}
var GO_CACHE_TOUCH_INTERVAL_MS = 60 * 6e4;
function trimBuildCache(buildDir, cutoffMs) {
  let files = 0;
  let bytes = 0;
  if (!(0, import_node_fs.existsSync)(buildDir)) return { files, bytes };
  for (const bucket of (0, import_node_fs.readdirSync)(buildDir)) {
    if (!/^[0-9a-f]{2}$/.test(bucket)) continue;
    const bucketDir = (0, import_node_path2.join)(buildDir, bucket);
    for (const entry of (0, import_node_fs.readdirSync)(bucketDir)) {
      const path = (0, import_node_path2.join)(bucketDir, entry);
      const stat2 = (0, import_node_fs.lstatSync)(path);
      if (!stat2.isFile() || stat2.mtimeMs >= cutoffMs) continue;
      (0, import_node_fs.rmSync)(path, { force: true });
      files++;
      bytes += stat2.size;
    }
  }
  return { files, bytes };
}

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

// src/actions/go-build/cache-service.ts
async function loadCacheService(env = process.env) {
  if (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL) return void 0;
  const store = (await Promise.resolve().then(() => (init_cache(), cache_exports))).createCacheStore();
  return store.available ? store : void 0;
}

// src/actions/go-build/post.ts
runActionEntry("go-build post", async (reporter) => {
  await saveGoCache(gitHubState, { reporter, service: () => loadCacheService() });
});
