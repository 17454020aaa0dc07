import { isScalar, type Pair, type Scalar } from "yaml";

/**
 * Edits of a YAML file's own text, by the node ranges the `yaml` library
 * reports. Re-stringifying a document keeps the comments but not the layout
 * (comment spacing, flow-map padding, long-line folding), and a GitOps
 * reviewer should see one changed line, not a reformatted file; so changes
 * are spliced into the original text and the library's printer is only the
 * fallback where a splice would not be simple.
 */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

const PLAIN_SAFE = /^[A-Za-z0-9][A-Za-z0-9._/@:+-]*$/;

/** `value` written in the scalar's own style (plain, single- or double-quoted); block scalars become double-quoted. */
export function renderLike(node: Scalar, value: string): string {
  if (node.type === "QUOTE_SINGLE") return `'${value.replaceAll("'", "''")}'`;
  if (node.type === "PLAIN" && PLAIN_SAFE.test(value) && !/:\s|\s#/.test(value)) return value;
  return JSON.stringify(value);
}

/** Replaces a scalar's value in place, keeping what follows it on the line (a comment). */
export function replaceScalar(node: Scalar, value: string): TextEdit | undefined {
  const range = node.range;
  if (!range || node.type === "BLOCK_FOLDED" || node.type === "BLOCK_LITERAL") return undefined;
  return { start: range[0], end: range[1], text: renderLike(node, value) };
}

function lineStart(text: string, position: number): number {
  return text.lastIndexOf("\n", position - 1) + 1;
}

function lineEnd(text: string, position: number): number {
  const newline = text.indexOf("\n", position);
  return newline < 0 ? text.length : newline + 1;
}

/** The pair's key column when the pair starts its own line (block style), else undefined. */
export function ownLineIndent(text: string, pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key) || !key.range) return undefined;
  const start = lineStart(text, key.range[0]);
  const prefix = text.slice(start, key.range[0]);
  return /^[ ]*$/.test(prefix) ? prefix : undefined;
}

/** Removes a block-style pair's whole line; undefined when the pair shares its line (`- key: v`, flow maps). */
export function deletePairLine(text: string, pair: Pair): TextEdit | undefined {
  const key = pair.key;
  const value = pair.value;
  if (
    ownLineIndent(text, pair) === undefined ||
    !isScalar(key) ||
    !key.range ||
    !isScalar(value) ||
    !value.range
  ) {
    return undefined;
  }
  const end = lineEnd(text, value.range[1]);
  if (!/^[ \t]*(#.*)?\n?$/.test(text.slice(value.range[1], end))) return undefined;
  return { start: lineStart(text, key.range[0]), end, text: "" };
}

/** Inserts `key: value` on a new line after `after`, at its key column. */
export function insertPairAfter(text: string, after: Pair, line: string): TextEdit | undefined {
  const indent = ownLineIndent(text, after) ?? lineIndentOfItem(text, after);
  const value = after.value;
  if (indent === undefined || !isScalar(value) || !value.range) return undefined;
  const end = lineEnd(text, value.range[1]);
  const newline = end === text.length && !text.endsWith("\n") ? "\n" : "";
  return { start: end, end, text: `${newline}${indent}${line}\n` };
}

/** For the first pair of a sequence item (`  - name: x`), the column its siblings use. */
function lineIndentOfItem(text: string, pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key) || !key.range) return undefined;
  const start = lineStart(text, key.range[0]);
  const prefix = text.slice(start, key.range[0]);
  return /^[ ]*- [ ]*$/.test(prefix) ? " ".repeat(prefix.length) : undefined;
}
