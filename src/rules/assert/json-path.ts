import { ConfigurationError, type SourceLocation } from "../../errors.js";
import { isDeepEqualJson } from "./json-value.js";

/**
 * A compiled JSONPath. Supported: `$`, `.name`, `['name']`, `[0]`, `[-1]`,
 * `[*]`, `.*`, `..name` / `..*` / `..[0]` (recursive descent), unions
 * `[0,1]` / `['a','b']`, slices `[1:3]` / `[::2]`, and filters
 * `[?(@.x == 1)]` (or `[?@.x == 1]`) with `== != < <= > >=`, `&&`, `||`, `!`,
 * parentheses, existence tests (`[?(@.id)]`) and `@`/`$` paths on either side.
 */
export interface JsonPath {
  source: string;
  segments: readonly JsonPathSegment[];
  /** True when the path can select at most one value (only names and indexes, no descent). */
  definite: boolean;
}

export interface JsonPathSegment {
  descendant: boolean;
  selectors: readonly JsonPathSelector[];
}

export type JsonPathSelector =
  | { kind: "name"; name: string }
  | { kind: "wildcard" }
  | { kind: "index"; index: number }
  | { kind: "slice"; start: number | undefined; end: number | undefined; step: number | undefined }
  | { kind: "filter"; filter: FilterExpression };

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

export type FilterOperand =
  | { kind: "literal"; value: unknown }
  | { kind: "query"; relative: boolean; segments: readonly JsonPathSegment[] };

export type FilterExpression =
  | { kind: "or" | "and"; left: FilterExpression; right: FilterExpression }
  | { kind: "not"; operand: FilterExpression }
  | { kind: "exists"; query: FilterOperand & { kind: "query" } }
  | { kind: "compare"; operator: ComparisonOperator; left: FilterOperand; right: FilterOperand };

/** Compiles a JSONPath; a malformed one is a ConfigurationError at `location`. */
export function parseJsonPath(source: string, location?: SourceLocation): JsonPath {
  const parser = new JsonPathParser(source, location);
  const segments = parser.parsePath();
  const definite = segments.every(
    (segment) =>
      !segment.descendant &&
      segment.selectors.length === 1 &&
      (segment.selectors[0]?.kind === "name" || segment.selectors[0]?.kind === "index"),
  );
  return { source, segments, definite };
}

/** Every value the path selects in `document`, in document order. */
export function evaluateJsonPath(path: JsonPath | string, document: unknown): unknown[] {
  const compiled = typeof path === "string" ? parseJsonPath(path) : path;
  return selectSegments(compiled.segments, [document], document);
}

function selectSegments(segments: readonly JsonPathSegment[], start: unknown[], root: unknown): unknown[] {
  let nodes = start;
  for (const segment of segments) {
    const inputs = segment.descendant ? nodes.flatMap(listDescendantsAndSelf) : nodes;
    nodes = inputs.flatMap((node) =>
      segment.selectors.flatMap((selector) => applySelector(selector, node, root)),
    );
  }
  return nodes;
}

function listDescendantsAndSelf(node: unknown): unknown[] {
  return [node, ...listChildren(node).flatMap(listDescendantsAndSelf)];
}

function listChildren(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (isJsonObject(node)) return Object.values(node);
  return [];
}

function applySelector(selector: JsonPathSelector, node: unknown, root: unknown): unknown[] {
  switch (selector.kind) {
    case "name":
      return isJsonObject(node) && Object.hasOwn(node, selector.name) ? [node[selector.name]] : [];
    case "wildcard":
      return listChildren(node);
    case "index": {
      if (!Array.isArray(node)) return [];
      const index = selector.index < 0 ? node.length + selector.index : selector.index;
      return index >= 0 && index < node.length ? [node[index]] : [];
    }
    case "slice":
      return Array.isArray(node) ? sliceArray(node, selector) : [];
    case "filter":
      return listChildren(node).filter((child) => testFilter(selector.filter, child, root));
  }
}

/** Slice semantics of RFC 9535 (as Python's), including negative bounds and steps. */
function sliceArray(array: unknown[], slice: { start?: number; end?: number; step?: number }): unknown[] {
  const step = slice.step ?? 1;
  if (step === 0) return [];
  const length = array.length;
  const normalise = (bound: number): number => (bound >= 0 ? bound : length + bound);
  const result: unknown[] = [];
  if (step > 0) {
    const lower = Math.min(Math.max(normalise(slice.start ?? 0), 0), length);
    const upper = Math.min(Math.max(normalise(slice.end ?? length), 0), length);
    for (let i = lower; i < upper; i += step) result.push(array[i]);
  } else {
    const upper = Math.min(Math.max(normalise(slice.start ?? length - 1), -1), length - 1);
    const lower = Math.min(Math.max(slice.end === undefined ? -1 : normalise(slice.end), -1), length - 1);
    for (let i = upper; i > lower; i += step) result.push(array[i]);
  }
  return result;
}

function testFilter(filter: FilterExpression, current: unknown, root: unknown): boolean {
  switch (filter.kind) {
    case "or":
      return testFilter(filter.left, current, root) || testFilter(filter.right, current, root);
    case "and":
      return testFilter(filter.left, current, root) && testFilter(filter.right, current, root);
    case "not":
      return !testFilter(filter.operand, current, root);
    case "exists":
      return selectOperand(filter.query, current, root).length > 0;
    case "compare": {
      const left = readSingleOperand(filter.left, current, root);
      const right = readSingleOperand(filter.right, current, root);
      return compareOperands(filter.operator, left, right);
    }
  }
}

function selectOperand(
  operand: FilterOperand & { kind: "query" },
  current: unknown,
  root: unknown,
): unknown[] {
  return selectSegments(operand.segments, [operand.relative ? current : root], root);
}

/** A comparison needs one value; a query selecting none or several compares as "nothing". */
function readSingleOperand(
  operand: FilterOperand,
  current: unknown,
  root: unknown,
): { value: unknown } | undefined {
  if (operand.kind === "literal") return { value: operand.value };
  const values = selectOperand(operand, current, root);
  return values.length === 1 ? { value: values[0] } : undefined;
}

function compareOperands(
  operator: ComparisonOperator,
  left: { value: unknown } | undefined,
  right: { value: unknown } | undefined,
): boolean {
  const equal =
    left === undefined || right === undefined ? left === right : isDeepEqualJson(left.value, right.value);
  if (operator === "==") return equal;
  if (operator === "!=") return !equal;
  if (left === undefined || right === undefined) return false;
  const a = left.value;
  const b = right.value;
  const comparable =
    (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
  if (!comparable) return false;
  switch (operator) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const NAME_CHAR = /[A-Za-z0-9_$\-\u0080-\uffff]/;
const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ["==", "!=", "<=", ">=", "<", ">"];

/** Recursive descent over the path text; `position` is the next unread character. */
class JsonPathParser {
  private position = 0;

  constructor(
    private readonly source: string,
    private readonly location: SourceLocation | undefined,
  ) {}

  parsePath(): JsonPathSegment[] {
    this.skipSpaces();
    if (this.peek() !== "$") {
      this.fail(`a JSONPath starts with $ (like $.token or $.items[0].id)`);
    }
    this.position++;
    const segments = this.parseSegments();
    this.skipSpaces();
    if (this.position < this.source.length) this.fail(`unexpected '${this.peek()}'`);
    return segments;
  }

  private parseSegments(): JsonPathSegment[] {
    const segments: JsonPathSegment[] = [];
    for (;;) {
      if (this.source.startsWith("..", this.position)) {
        this.position += 2;
        if (this.peek() === "[") segments.push({ descendant: true, selectors: this.parseBracket() });
        else segments.push({ descendant: true, selectors: [this.parseDotSelector()] });
      } else if (this.peek() === ".") {
        this.position++;
        segments.push({ descendant: false, selectors: [this.parseDotSelector()] });
      } else if (this.peek() === "[") {
        segments.push({ descendant: false, selectors: this.parseBracket() });
      } else {
        return segments;
      }
    }
  }

  private parseDotSelector(): JsonPathSelector {
    if (this.peek() === "*") {
      this.position++;
      return { kind: "wildcard" };
    }
    const start = this.position;
    while (NAME_CHAR.test(this.peek())) this.position++;
    if (this.position === start) this.fail("expected a member name or * after '.'");
    return { kind: "name", name: this.source.slice(start, this.position) };
  }

  private parseBracket(): JsonPathSelector[] {
    this.position++; // [
    const selectors: JsonPathSelector[] = [];
    for (;;) {
      this.skipSpaces();
      selectors.push(this.parseBracketSelector());
      this.skipSpaces();
      const next = this.peek();
      this.position++;
      if (next === "]") return selectors;
      if (next !== ",") {
        this.position--;
        this.fail(next === "" ? "missing ]" : `expected , or ] but found '${next}'`);
      }
    }
  }

  private parseBracketSelector(): JsonPathSelector {
    const char = this.peek();
    if (char === "'" || char === '"') return { kind: "name", name: this.parseString() };
    if (char === "*") {
      this.position++;
      return { kind: "wildcard" };
    }
    if (char === "?") {
      this.position++;
      this.skipSpaces();
      return { kind: "filter", filter: this.parseOr() };
    }
    const start = this.readOptionalInteger();
    this.skipSpaces();
    if (this.peek() !== ":") {
      if (start === undefined) this.fail("expected a name in quotes, an index, a slice, * or a ?(filter)");
      return { kind: "index", index: start };
    }
    this.position++;
    this.skipSpaces();
    const end = this.readOptionalInteger();
    this.skipSpaces();
    let step: number | undefined;
    if (this.peek() === ":") {
      this.position++;
      this.skipSpaces();
      step = this.readOptionalInteger();
    }
    return { kind: "slice", start, end, step };
  }

  private readOptionalInteger(): number | undefined {
    const match = /^-?\d+/.exec(this.source.slice(this.position));
    if (match === null) return undefined;
    this.position += match[0].length;
    const value = Number(match[0]);
    if (!Number.isSafeInteger(value)) this.fail(`${match[0]} is too large for an index`);
    return value;
  }

  private parseString(): string {
    const quote = this.peek();
    const start = this.position;
    this.position++;
    let text = "";
    for (;;) {
      const char = this.peek();
      if (char === "") {
        this.position = start;
        this.fail(`the string starting here is not closed with ${quote}`);
      }
      this.position++;
      if (char === quote) return text;
      if (char !== "\\") {
        text += char;
        continue;
      }
      const escaped = this.peek();
      this.position++;
      const simple: Record<string, string> = {
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
        "/": "/",
        "\\": "\\",
      };
      if (escaped === "'" || escaped === '"') text += escaped;
      else if (simple[escaped] !== undefined) text += simple[escaped];
      else if (
        escaped === "u" &&
        /^[0-9a-fA-F]{4}$/.test(this.source.slice(this.position, this.position + 4))
      ) {
        text += String.fromCharCode(Number.parseInt(this.source.slice(this.position, this.position + 4), 16));
        this.position += 4;
      } else {
        this.position -= 2;
        this.fail(`unknown escape \\${escaped}`);
      }
    }
  }

  private parseOr(): FilterExpression {
    let left = this.parseAnd();
    while (this.consume("||")) left = { kind: "or", left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): FilterExpression {
    let left = this.parseUnary();
    while (this.consume("&&")) left = { kind: "and", left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(): FilterExpression {
    this.skipSpaces();
    if (this.peek() === "!" && this.source[this.position + 1] !== "=") {
      this.position++;
      return { kind: "not", operand: this.parseUnary() };
    }
    if (this.peek() === "(") {
      this.position++;
      const inner = this.parseOr();
      if (!this.consume(")")) this.fail("missing ) in the filter");
      return inner;
    }
    const left = this.parseOperand();
    this.skipSpaces();
    const operator = COMPARISON_OPERATORS.find((candidate) =>
      this.source.startsWith(candidate, this.position),
    );
    if (operator === undefined) {
      if (left.kind !== "query") this.fail("a literal on its own is not a filter; compare it, like @.x == 1");
      return { kind: "exists", query: left };
    }
    this.position += operator.length;
    return { kind: "compare", operator, left, right: this.parseOperand() };
  }

  private parseOperand(): FilterOperand {
    this.skipSpaces();
    const char = this.peek();
    if (char === "@" || char === "$") {
      this.position++;
      return { kind: "query", relative: char === "@", segments: this.parseSegments() };
    }
    if (char === "'" || char === '"') return { kind: "literal", value: this.parseString() };
    const rest = this.source.slice(this.position);
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (number !== null) {
      this.position += number[0].length;
      return { kind: "literal", value: Number(number[0]) };
    }
    const keyword = /^(true|false|null)\b/.exec(rest);
    if (keyword !== null) {
      this.position += keyword[0].length;
      return { kind: "literal", value: keyword[1] === "null" ? null : keyword[1] === "true" };
    }
    return this.fail("expected @.path, $.path, a number, a quoted string, true, false or null");
  }

  private consume(token: string): boolean {
    this.skipSpaces();
    if (!this.source.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private peek(): string {
    return this.source[this.position] ?? "";
  }

  private skipSpaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.position++;
  }

  private fail(reason: string): never {
    throw new ConfigurationError(
      `'${this.source}' is not a valid JSONPath: ${reason} (at character ${this.position + 1})`,
      this.location,
    );
  }
}
