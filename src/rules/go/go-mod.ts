import { ConfigurationError } from "../../errors.js";

/** What the pipeline needs from a go.mod: the module path and the Go version it asks for. */
export interface GoMod {
  module: string;
  /** The `go` directive as written: `1.24`, `1.24.1`, `1.25rc1`. */
  go?: string;
  /** The `toolchain` directive as written: `go1.24.3`, `default`. */
  toolchain?: string;
}

/** cmd/go's rule for the `go` directive (modfile.GoVersionRE). */
const GO_VERSION = /^[1-9][0-9]*\.(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))?(?:[a-z]+[0-9]+)?$/;
/** `default`, or a toolchain name: `go1.24.3`, `go1.25rc1`, `go1.24.3+auto`, `go1.24.3-custom`. */
const TOOLCHAIN =
  /^(?:default|go[1-9][0-9]*\.(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))?(?:[a-z]+[0-9]+)?(?:[-+]\S*)?)$/;

/**
 * Reads the `module`, `go` and `toolchain` directives of a go.mod. Comments,
 * CRLF and the block form of any directive (`require ( ... )`) are understood;
 * other directives are skipped without being validated, since `go` itself
 * reports those more precisely. `file` names the go.mod in error locations.
 */
export function parseGoMod(text: string, file: string): GoMod {
  const found: { module?: string; go?: string; toolchain?: string } = {};
  let block: string | undefined;
  // An editor's byte-order mark would otherwise hide the first directive.
  text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .forEach((raw, index) => {
      const line = index + 1;
      const content = stripComment(raw).trim();
      if (content === "") return;
      if (block !== undefined) {
        if (content === ")") block = undefined;
        else readDirective(block, splitArguments(content), line);
        return;
      }
      const opening = /^([A-Za-z]+)\s*\((\s*\))?$/.exec(content);
      if (opening) {
        // `verb (` opens a block; `verb ()` is an empty one.
        if (opening[2] === undefined) block = opening[1];
        return;
      }
      const words = splitArguments(content);
      readDirective(words[0] ?? "", words.slice(1), line);
    });

  function readDirective(verb: string, args: string[], line: number): void {
    if (verb !== "module" && verb !== "go" && verb !== "toolchain") return;
    const where = { file, line };
    if (found[verb] !== undefined) {
      throw new ConfigurationError(`'${verb}' is given twice in go.mod; keep one`, where);
    }
    const value = args[0];
    if (args.length !== 1 || value === undefined || value === "") {
      throw new ConfigurationError(
        `'${verb}' needs exactly one value, e.g. '${EXAMPLES[verb]}'; got '${[verb, ...args].join(" ")}'`,
        where,
      );
    }
    if (verb === "go" && !GO_VERSION.test(value)) {
      throw new ConfigurationError(
        `'go ${value}' is not a Go version; write e.g. 'go 1.24' or 'go 1.24.1'`,
        where,
      );
    }
    if (verb === "toolchain" && !TOOLCHAIN.test(value)) {
      throw new ConfigurationError(
        `'toolchain ${value}' is not a toolchain name; write e.g. 'toolchain go1.24.3'`,
        where,
      );
    }
    found[verb] = value;
  }

  if (found.module === undefined) {
    throw new ConfigurationError("go.mod has no 'module' directive; add one, e.g. 'module example.com/app'", {
      file,
    });
  }
  const mod: GoMod = { module: found.module };
  if (found.go !== undefined) mod.go = found.go;
  if (found.toolchain !== undefined) mod.toolchain = found.toolchain;
  return mod;
}

const EXAMPLES = {
  module: "module example.com/app",
  go: "go 1.24",
  toolchain: "toolchain go1.24.3",
} as const;

/**
 * The Go release (major.minor) to build with: the `toolchain` directive wins
 * over `go`, as cmd/go switches to that toolchain itself. `undefined` when
 * go.mod names neither; the caller picks a default.
 */
export function goVersionFromGoMod(mod: GoMod): string | undefined {
  const toolchain = mod.toolchain === undefined ? undefined : /^go(\d+)\.(\d+)/.exec(mod.toolchain);
  if (toolchain) return `${toolchain[1]}.${toolchain[2]}`;
  const go = mod.go === undefined ? undefined : /^(\d+)\.(\d+)/.exec(mod.go);
  return go ? `${go[1]}.${go[2]}` : undefined;
}

/** `require x v1` or a `require (` block, outside comments: there is something to download. */
export function hasRequirements(goModText: string): boolean {
  return goModText.split("\n").some((line) => /^\s*require(?:\s|\(|$)/.test(line));
}

/**
 * The file name `go build` gives a module's main package: the last path
 * element, skipping a major-version suffix (`example.com/foo/v2` → `foo`),
 * as cmd/go's DefaultExecName does.
 */
export function defaultBinaryName(modulePath: string): string {
  const elements = modulePath.split("/").filter((element) => element !== "");
  let name = elements.at(-1);
  if (name !== undefined && elements.length > 1 && isMajorVersionElement(name)) name = elements.at(-2);
  if (name === undefined) {
    throw new ConfigurationError(
      `module path '${modulePath}' is empty; go.mod needs e.g. 'module example.com/app'`,
    );
  }
  return name;
}

/** `v2`, `v3`, … but not `v0`, `v1` or `v1beta` (cmd/go's isVersionElement). */
function isMajorVersionElement(element: string): boolean {
  return /^v[0-9]+$/.test(element) && element !== "v1" && !element.startsWith("v0");
}

/** Drops a `//` comment that is not inside a quoted string. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote !== undefined) {
      if (char === "\\" && quote === '"') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "`") {
      quote = char;
    } else if (char === "/" && line[i + 1] === "/") {
      return line.slice(0, i);
    }
  }
  return line;
}

/** Whitespace-separated words; a `"quoted"` or `` `raw` `` word is unquoted. */
function splitArguments(content: string): string[] {
  const words = content.match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? [];
  return words.map((word) => {
    if (word.length >= 2 && word.startsWith("`") && word.endsWith("`")) return word.slice(1, -1);
    if (word.length >= 2 && word.startsWith('"') && word.endsWith('"')) {
      try {
        const value: unknown = JSON.parse(word);
        if (typeof value === "string") return value;
      } catch {
        // Go's quoting is close to JSON's; an odd escape keeps the word as written.
      }
      return word.slice(1, -1);
    }
    return word;
  });
}
