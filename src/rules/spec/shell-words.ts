import { Buffer } from "node:buffer";

/**
 * Splits a command line into words the way a POSIX shell would quote it:
 * 'single' quotes are literal, "double" quotes honour \" \\ \$ \`, $'ANSI-C'
 * quotes read bash's backslash escapes (\n, \t, \xHH, \u20AC, \', ...), a
 * backslash outside quotes escapes the next character and backslash-newline
 * continues the line. Nothing is expanded and no shell ever runs, so what a shell would
 * do differently (pipes, redirections, `$VAR`, `$(...)`) is refused rather
 * than silently passed on as text. `${{ ... }}` templates stay whole even when
 * unquoted, because they are filled in later, after splitting.
 * Throws a plain Error; callers add the location.
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? "";
    if (text.startsWith("${{", i)) {
      const end = text.indexOf("}}", i + 3);
      if (end < 0) throw new Error(`'${text.slice(i)}' opens \${{ without a closing }}`);
      word += text.slice(i, end + 2);
      inWord = true;
      i = end + 2;
    } else if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (text.startsWith("$'", i)) {
      const [content, next] = readAnsiCQuoted(text, i + 2);
      word += content;
      inWord = true;
      i = next;
    } else if (char === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error("a single quote (') is not closed");
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (char === '"') {
      const [content, next] = readDoubleQuoted(text, i + 1);
      word += content;
      inWord = true;
      i = next;
    } else if (char === "\\") {
      const next = text[i + 1];
      if (next === undefined) throw new Error("the command ends with a lone backslash");
      if (next !== "\n") {
        word += next;
        inWord = true;
      }
      i += 2;
    } else {
      refuseShellSyntax(text, i);
      word += char;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function readDoubleQuoted(text: string, start: number): [string, number] {
  let content = "";
  let i = start;
  while (i < text.length) {
    const char = text[i] ?? "";
    if (char === '"') return [content, i + 1];
    if (text.startsWith("${{", i)) {
      const end = text.indexOf("}}", i + 3);
      if (end < 0) throw new Error(`'${text.slice(i)}' opens \${{ without a closing }}`);
      content += text.slice(i, end + 2);
      i = end + 2;
      continue;
    }
    if (char === "\\") {
      const next = text[i + 1] ?? "";
      if (next === "\n") {
        i += 2;
        continue;
      }
      content += '$`"\\'.includes(next) && next !== "" ? next : `\\${next}`;
      i += 2;
      continue;
    }
    refuseShellSyntax(text, i, true);
    content += char;
    i++;
  }
  throw new Error('a double quote (") is not closed');
}

// bash's $'...' escapes that stand for one fixed character.
const ANSI_C_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

// \nnn octal, \xHH, \uHHHH and \UHHHHHHHH: the longest run of digits up to the limit, as bash reads them.
const ANSI_C_NUMERIC = /^(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8}))/;

/**
 * `$'...'` from after the opening quote: returns the text and the index after
 * the closing quote. `\xHH` and octal escapes are bytes, so consecutive ones
 * are read as UTF-8 (`$'\xe2\x82\xac'` is €), as the shell passes them on.
 */
function readAnsiCQuoted(text: string, start: number): [string, number] {
  let content = "";
  let bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length > 0) content += Buffer.from(bytes).toString("utf8");
    bytes = [];
  };
  let i = start;
  while (i < text.length) {
    const char = text[i] ?? "";
    if (char === "'") {
      flushBytes();
      return [content, i + 1];
    }
    const next = text[i + 1] ?? "";
    const numeric = char === "\\" ? ANSI_C_NUMERIC.exec(text.slice(i + 1, i + 10)) : null;
    if (numeric !== null && numeric[4] === undefined && numeric[3] === undefined) {
      bytes.push(Number.parseInt(numeric[1] ?? numeric[2] ?? "", numeric[1] !== undefined ? 8 : 16) & 0xff);
      i += 1 + numeric[0].length;
      continue;
    }
    flushBytes();
    if (char !== "\\") {
      content += char;
      i++;
    } else if (numeric !== null) {
      content += String.fromCodePoint(
        Math.min(Number.parseInt(numeric[3] ?? numeric[4] ?? "", 16), 0x10ffff),
      );
      i += 1 + numeric[0].length;
    } else if (Object.hasOwn(ANSI_C_ESCAPES, next)) {
      content += ANSI_C_ESCAPES[next];
      i += 2;
    } else if (next === "c" && i + 2 < text.length) {
      // \cX: the control character of X.
      content += String.fromCharCode(text.charCodeAt(i + 2) & 0x1f);
      i += 3;
    } else {
      // An unknown escape stays as written, as in bash.
      content += `\\${next}`;
      i += 2;
    }
  }
  throw new Error("a $'...' quote is not closed");
}

function refuseShellSyntax(text: string, at: number, quoted = false): void {
  const char = text[at] ?? "";
  const next = text[at + 1] ?? "";
  if (char === "$" && (next === "(" || next === "{" || /[A-Za-z_]/.test(next))) {
    const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(at))?.[1];
    const hint =
      variable === undefined ? "" : `; write \${{ env.${variable} }} or \${{ name }} of a capture instead`;
    throw new Error(
      `'${text.slice(at, at + 20)}' would be expanded by a shell, but no shell runs here${hint}`,
    );
  }
  if (char === "`") throw new Error("backquote command substitution is not supported: no shell runs here");
  if (!quoted && "|;<>".includes(char)) {
    throw new Error(`'${char}' is shell syntax; the curl shorthand is one curl command and no shell runs it`);
  }
}
