import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type ParsedNode,
  type Scalar,
} from "yaml";
import { ConfigurationError, formatLocation, type SourceLocation } from "../../errors.js";
import { suggestClosestKey } from "./closest-key.js";

/** One mistake in a spec file. */
export interface SpecProblem {
  message: string;
  location: SourceLocation;
}

// Past this many problems the rest are usually consequences of the first ones.
const MAX_LISTED_PROBLEMS = 20;

/**
 * Every mistake found in a spec file, thrown at once so one edit-run cycle
 * fixes them all. `location` (and the first line of the message) is the
 * first problem; each further problem is on its own `file:line:col: ...` line.
 */
export class SpecError extends ConfigurationError {
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    const [first, ...rest] = problems;
    const listed = rest
      .slice(0, MAX_LISTED_PROBLEMS - 1)
      .map((p) => `\n${formatLocation(p.location)}: ${p.message}`);
    const more =
      rest.length >= MAX_LISTED_PROBLEMS ? `\n(and ${rest.length - listed.length} more problems)` : "";
    super(`${first?.message ?? "invalid spec"}${listed.join("")}${more}`, first?.location);
    this.problems = problems;
  }
}

export type YamlNode = ParsedNode;

/** A key of a mapping and its value; `location` is the value's, or the key's when the value is empty. */
export interface MappingEntry {
  key: string;
  keyLocation: SourceLocation;
  value: YamlNode | null;
  location: SourceLocation;
}

export type Mapping = Map<string, MappingEntry>;

/**
 * Walks the YAML tree of one spec file, turning nodes into values and
 * recording problems (with their line and column) instead of stopping at the
 * first one. Readers return undefined after reporting a problem, so callers
 * can carry on and find the next one.
 */
export class SpecReader {
  readonly problems: SpecProblem[];

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly document: Document.Parsed,
    /** Prefixes messages: `test "Get token"`. */
    readonly scope: string | undefined = undefined,
    problems: SpecProblem[] = [],
  ) {
    this.problems = problems;
  }

  /** A reader whose messages name `scope`; problems go to the same list. */
  within(scope: string): SpecReader {
    return new SpecReader(this.file, this.lineCounter, this.document, scope, this.problems);
  }

  locateOffset(offset: number): SourceLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  locate(node: YamlNode | null | undefined, fallback?: SourceLocation): SourceLocation {
    if (node?.range === undefined || node.range === null)
      return fallback ?? { file: this.file, line: 1, column: 1 };
    return this.locateOffset(node.range[0]);
  }

  report(message: string, location: SourceLocation): undefined {
    this.problems.push({
      message: this.scope === undefined ? message : `${this.scope}: ${message}`,
      location,
    });
    return undefined;
  }

  /** Runs a parser that throws ConfigurationError (durations, targets, JSONPath, curl) and records its error. */
  attempt<T>(field: string | undefined, location: SourceLocation, parse: () => T): T | undefined {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      const where = error.location ?? location;
      const prefix = error.location === undefined ? "" : `${formatLocation(error.location)}: `;
      const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      return this.report(field === undefined ? message : `\`${field}\`: ${message}`, where);
    }
  }

  /** Follows `*alias` references to the anchored node. */
  resolve(node: YamlNode | null): YamlNode | null {
    if (node !== null && isAlias(node)) return (node.resolve(this.document) as YamlNode | undefined) ?? null;
    return node;
  }

  /** The plain JavaScript value of a node, for JSON values in the spec. */
  toValue(node: YamlNode | null): unknown {
    const resolved = this.resolve(node);
    return resolved === null ? null : resolved.toJS(this.document);
  }

  /**
   * Reads a mapping and checks its keys against `allowed`, suggesting the
   * closest one for a typo. `field` names it in messages (undefined: the top level).
   */
  readMapping(
    node: YamlNode | null,
    field: string | undefined,
    location: SourceLocation,
    allowed: readonly string[] | undefined,
  ): Mapping | undefined {
    const resolved = this.resolve(node);
    if (resolved === null || !isMap(resolved)) {
      const what = field === undefined ? "the spec" : `\`${field}\``;
      return this.report(
        `${what} must be a mapping of keys to values; got ${describeNode(resolved)}`,
        location,
      );
    }
    const entries: Mapping = new Map();
    for (const pair of resolved.items) {
      const keyNode = this.resolve(pair.key);
      const keyLocation = this.locate(pair.key, location);
      if (keyNode === null || !isScalar(keyNode) || typeof keyNode.value !== "string") {
        const text =
          keyNode !== null && isScalar(keyNode) ? (keyNode.source ?? String(keyNode.value)) : undefined;
        if (text === undefined) {
          this.report(`keys must be text; got ${describeNode(keyNode)}`, keyLocation);
          continue;
        }
        this.addEntry(entries, text, keyLocation, pair.value, allowed, field);
        continue;
      }
      this.addEntry(entries, keyNode.value, keyLocation, pair.value, allowed, field);
    }
    return entries;
  }

  private addEntry(
    entries: Mapping,
    key: string,
    keyLocation: SourceLocation,
    valueNode: YamlNode | null,
    allowed: readonly string[] | undefined,
    field: string | undefined,
  ): void {
    if (allowed !== undefined && !allowed.includes(key)) {
      const where = field === undefined ? "top-level key" : `key in \`${field}\``;
      const suggestion = suggestClosestKey(key, allowed);
      const hint = suggestion === undefined ? "" : ` (did you mean \`${suggestion}\`?)`;
      this.report(`unknown ${where}: \`${key}\`${hint}; allowed keys: ${allowed.join(", ")}`, keyLocation);
      return;
    }
    const value = this.resolve(valueNode);
    const empty = value === null || (isScalar(value) && value.value === null && (value.source ?? "") === "");
    entries.set(key, {
      key,
      keyLocation,
      value,
      location: empty ? keyLocation : this.locate(valueNode, keyLocation),
    });
  }

  /** A scalar as text; numbers and booleans keep their spelling (`007`, `1.10`), as a YAML reader would expect. */
  readText(entry: Pick<MappingEntry, "value" | "location">, field: string): string | undefined {
    const text = readScalarText(entry.value);
    if (text === undefined)
      return this.report(`\`${field}\` must be text; got ${describeNode(entry.value)}`, entry.location);
    return text;
  }

  readBoolean(entry: Pick<MappingEntry, "value" | "location">, field: string): boolean | undefined {
    const value = entry.value !== null && isScalar(entry.value) ? entry.value.value : undefined;
    if (typeof value !== "boolean") {
      return this.report(
        `\`${field}\` must be true or false; got ${describeNode(entry.value)}`,
        entry.location,
      );
    }
    return value;
  }

  readInteger(
    entry: Pick<MappingEntry, "value" | "location">,
    field: string,
    min: number,
  ): number | undefined {
    const value = entry.value !== null && isScalar(entry.value) ? entry.value.value : undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
      return this.report(
        `\`${field}\` must be a whole number of ${min} or more; got ${describeNode(entry.value)}`,
        entry.location,
      );
    }
    return value;
  }

  /** The items of a sequence, each with its own location. */
  readSequence(
    entry: Pick<MappingEntry, "value" | "location">,
    field: string,
  ): { value: YamlNode | null; location: SourceLocation }[] | undefined {
    const node = entry.value;
    if (node === null || !isSeq(node)) {
      return this.report(`\`${field}\` must be a list; got ${describeNode(node)}`, entry.location);
    }
    return node.items.map((item) => ({
      value: this.resolve(item),
      location: this.locate(item, entry.location),
    }));
  }
}

/** Scalar text, or undefined for null, mappings and lists. */
export function readScalarText(node: YamlNode | null): string | undefined {
  if (node === null || !isScalar(node)) return undefined;
  const scalar: Scalar = node;
  if (typeof scalar.value === "string") return scalar.value;
  if (
    typeof scalar.value === "number" ||
    typeof scalar.value === "boolean" ||
    typeof scalar.value === "bigint"
  ) {
    return scalar.source ?? String(scalar.value);
  }
  return undefined;
}

/** For "got ..." in messages. */
export function describeNode(node: YamlNode | null): string {
  if (node === null) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    if (node.value === null) return (node.source ?? "") === "" ? "nothing" : "null";
    if (typeof node.value === "string") return `'${node.value}'`;
    return String(node.source ?? node.value);
  }
  return "an alias";
}
