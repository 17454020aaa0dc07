import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BODY_MATCHER_KEYS,
  EXPECT_KEYS,
  HEADER_MATCHER_KEYS,
  JSON_MATCHER_KEYS,
} from "../../../src/rules/spec/parse-expectation.js";
import { REQUEST_KEYS } from "../../../src/rules/spec/parse-request.js";
import {
  EXEC_KEYS,
  RETRY_KEYS,
  SPEC_KEYS,
  TEST_KEYS,
  WAIT_KEYS,
} from "../../../src/rules/spec/parse-spec.js";

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
  [key: string]: unknown;
}

const schema = JSON.parse(
  readFileSync(new URL("../../../schemas/compose-test-spec.schema.json", import.meta.url), "utf8"),
) as SchemaNode;
const definitions = schema.definitions ?? {};

function collectRefs(node: unknown, into: string[]): string[] {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, into);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") into.push(value);
      else collectRefs(value, into);
    }
  }
  return into;
}

function propertyNames(node: SchemaNode | undefined): string[] {
  return Object.keys(node?.properties ?? {});
}

describe("compose-test spec schema", () => {
  it("is a draft-07 schema", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.required).toEqual(["tests"]);
  });

  it("resolves every $ref and uses every definition", () => {
    const refs = collectRefs(schema, []);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/definitions\//);
      expect(definitions[ref.slice("#/definitions/".length)], ref).toBeDefined();
    }
    const used = new Set(refs.map((ref) => ref.slice("#/definitions/".length)));
    expect(Object.keys(definitions).filter((name) => !used.has(name))).toEqual([]);
  });

  // The schema is written by hand; these keep it in step with what parseSpec accepts.
  it.each<[string, SchemaNode | undefined, readonly string[]]>([
    ["the top level", schema, SPEC_KEYS],
    ["a test", definitions.test, TEST_KEYS],
    ["wait", schema.properties?.wait, WAIT_KEYS],
    ["a request", definitions.request, REQUEST_KEYS],
    ["expect", definitions.expect, EXPECT_KEYS],
    ["a body matcher", definitions.textMatcher, BODY_MATCHER_KEYS],
    ["a header matcher", definitions.headerMatcher, HEADER_MATCHER_KEYS],
    ["a JSON matcher", definitions.jsonMatcher, JSON_MATCHER_KEYS],
    ["retry", definitions.test?.properties?.retry?.oneOf?.[1], RETRY_KEYS],
    ["exec", definitions.step?.properties?.exec, EXEC_KEYS],
  ])("lists the keys of %s", (_, node, keys) => {
    expect(propertyNames(node).sort()).toEqual([...keys].sort());
  });
});
