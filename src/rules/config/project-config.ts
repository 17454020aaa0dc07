import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ConfigurationError, type SourceLocation } from "../../errors.js";
import { suggestClosestKey } from "../spec/closest-key.js";

/**
 * `goflow.yml`, committed in the service folder, defines the build once for CI
 * and laptops: a section per stage whose keys are that stage's action input
 * names, so what a workflow says with `with:` and what the file says are the
 * same words.
 *
 *   build:   { go-version: "1.24", test-flags: -race }
 *   package: { image: ghcr.io/acme/go-auth }
 *   test:    { tests: [tests/*.yml], images: goauth=... }
 */
export const PROJECT_CONFIG_FILE = "goflow.yml";

export type ProjectConfigSection = "build" | "package" | "test";

/** Input values as strings, exactly as an action would receive them; lists become lines. */
export type ProjectConfig = Record<ProjectConfigSection, Record<string, string>>;

/** The input names each section accepts (the action's own inputs, less the ones tied to a run). */
export type ProjectConfigSchema = Record<ProjectConfigSection, readonly string[]>;

export const emptyProjectConfig = (): ProjectConfig => ({ build: {}, package: {}, test: {} });

export function parseProjectConfig(text: string, file: string, schema: ProjectConfigSchema): ProjectConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const locate = (node: Node | null | undefined): SourceLocation => {
    const offset = node?.range?.[0];
    if (offset === undefined) return { file };
    const position = lineCounter.linePos(offset);
    return { file, line: position.line, column: position.col };
  };
  const first = document.errors[0];
  if (first) {
    const position = first.linePos?.[0];
    throw new ConfigurationError(
      `YAML syntax error: ${first.message.split("\n")[0]}`,
      position ? { file, line: position.line, column: position.col } : { file },
    );
  }
  const config = emptyProjectConfig();
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) return config;
  if (!isMap(root))
    throw new ConfigurationError(
      `${file} must be a mapping with the sections build, package and test`,
      locate(root),
    );
  const sections = Object.keys(schema) as ProjectConfigSection[];
  for (const pair of root.items) {
    const sectionName = isScalar(pair.key) ? String(pair.key.value) : "";
    const section = sections.find((s) => s === sectionName);
    if (!section)
      throw new ConfigurationError(
        unknownKeyMessage(`section '${sectionName}'`, sectionName, sections),
        locate(pair.key as Node),
      );
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isMap(value))
      throw new ConfigurationError(`'${section}' must be a mapping of input names to values`, locate(value));
    for (const entry of value.items) {
      const key = isScalar(entry.key) ? String(entry.key.value) : "";
      if (!schema[section].includes(key))
        throw new ConfigurationError(
          unknownKeyMessage(`key '${key}' in '${section}'`, key, schema[section]),
          locate(entry.key as Node),
        );
      config[section][key] = readValue(entry.value as Node | null, `${section}.${key}`, locate);
    }
  }
  return config;
}

function readValue(node: Node | null, path: string, locate: (node: Node | null) => SourceLocation): string {
  if (node === null) return "";
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return "";
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      return String(value);
  }
  if (isSeq(node)) {
    return node.items
      .map((item) => {
        if (isScalar(item) && ["string", "number", "boolean"].includes(typeof item.value))
          return String(item.value);
        throw new ConfigurationError(`'${path}' must be a list of plain values`, locate(item as Node));
      })
      .join("\n");
  }
  if (isMap(node)) {
    // `images: { goauth: app:dev }` and `env: { KEY: value }` read naturally as maps; inputs take KEY=VALUE lines.
    return node.items
      .map((pair) => {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        const value = pair.value as Node | null;
        if (value !== null && !isScalar(value))
          throw new ConfigurationError(`'${path}.${key}' must be a plain value`, locate(value));
        return `${key}=${value === null || value.value === null ? "" : String(value.value)}`;
      })
      .join("\n");
  }
  throw new ConfigurationError(`'${path}' must be a string, number, boolean, list or mapping`, locate(node));
}

function unknownKeyMessage(what: string, key: string, allowed: readonly string[]): string {
  const closest = suggestClosestKey(key, allowed);
  return `unknown ${what}${closest ? ` (did you mean '${closest}'?)` : ""}; allowed: ${allowed.join(", ")}`;
}
