import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateJsonPath, parseJsonPath } from "../../../src/rules/assert/json-path.js";

const document = {
  token: "abc",
  "user-id": 7,
  "odd key": { "a.b": 1, "it's": 2 },
  empty: null,
  user: { name: "alice", roles: ["admin", "dev"], address: { city: "Oslo" } },
  items: [
    { id: 1, name: "a", price: 10, tags: ["x"] },
    { id: 2, name: "b", price: 25 },
    { id: 3, name: "c", price: 5, tags: [] },
    { id: 4, name: "d", price: 25, active: true },
  ],
  numbers: [0, 1, 2, 3, 4, 5],
};

describe("evaluateJsonPath", () => {
  it.each<[string, unknown[]]>([
    ["$", [document]],
    ["$.token", ["abc"]],
    ["$.user-id", [7]],
    ["$.empty", [null]],
    ["$.user.name", ["alice"]],
    ["$['user']['name']", ["alice"]],
    ['$["user"].address["city"]', ["Oslo"]],
    ["$['odd key']['a.b']", [1]],
    ["$['odd key']['it\\'s']", [2]],
    ["$.missing", []],
    ["$.token.length", []],
    ["$.user.roles[0]", ["admin"]],
    ["$.user.roles[-1]", ["dev"]],
    ["$.user.roles[5]", []],
    ["$.user.roles[-3]", []],
    ["$.user[0]", []],
    ["$.items[*].id", [1, 2, 3, 4]],
    ["$.items.*.name", ["a", "b", "c", "d"]],
    ["$.user.*", ["alice", ["admin", "dev"], { city: "Oslo" }]],
    ["$.token.*", []],
    ["$..city", ["Oslo"]],
    ["$..tags", [["x"], []]],
    ["$..tags[0]", ["x"]],
    ["$.items..id", [1, 2, 3, 4]],
    ["$..[0].id", [1]],
    ["$.user..*", ["alice", ["admin", "dev"], { city: "Oslo" }, "admin", "dev", "Oslo"]],
    ["$.numbers[0,2,-1]", [0, 2, 5]],
    ["$['token','empty']", ["abc", null]],
    ["$.numbers[1:3]", [1, 2]],
    ["$.numbers[:2]", [0, 1]],
    ["$.numbers[4:]", [4, 5]],
    ["$.numbers[-2:]", [4, 5]],
    ["$.numbers[::2]", [0, 2, 4]],
    ["$.numbers[::-1]", [5, 4, 3, 2, 1, 0]],
    ["$.numbers[4:1:-2]", [4, 2]],
    ["$.numbers[3:1]", []],
    ["$.numbers[::0]", []],
    ["$.numbers[0:100]", [0, 1, 2, 3, 4, 5]],
    ["$.items[?(@.id == 2)].name", ["b"]],
    ["$.items[?@.id == 2].name", ["b"]],
    ["$.items[?(@.price > 10)].id", [2, 4]],
    ["$.items[?(@.price >= 25)].id", [2, 4]],
    ["$.items[?(@.price < 10)].id", [3]],
    ["$.items[?(@.price <= 10)].id", [1, 3]],
    ["$.items[?(@.name != 'a')].id", [2, 3, 4]],
    ['$.items[?(@.name == "c")].id', [3]],
    ["$.items[?(@.active == true)].id", [4]],
    ["$.items[?(@.tags)].id", [1, 3]],
    ["$.items[?(!@.tags)].id", [2, 4]],
    ["$.items[?(@.price == 25 && @.active)].id", [4]],
    ["$.items[?(@.id == 1 || @.id == 3)].name", ["a", "c"]],
    ["$.items[?((@.id == 1 || @.id == 2) && @.price > 10)].id", [2]],
    ["$.items[?(@.missing == null)].id", []],
    ["$.items[?(@.name > 'b')].id", [3, 4]],
    ["$.items[?(@.price > 'a')].id", []],
    ["$.items[?(@.price == $.items[1].price)].id", [2, 4]],
    ["$.items[?(@.price == 2.5e1)].id", [2, 4]],
    ["$.user.roles[?(@ == 'dev')]", ["dev"]],
    ["$.user[?(@ == 'alice')]", ["alice"]],
    ["$[ 'token' , 'empty' ]", ["abc", null]],
    // Cases the hand-written parser got wrong before json-p3 (RFC 9535).
    ["$ .token", ["abc"]],
    ["$[\n'token',\r\n'empty'\t]", ["abc", null]],
    ["$.items[?length(@.tags) == 1].id", [1]],
    ["$.items[?count(@.tags[*]) == 0].id", [2, 3, 4]],
    ["$.items[?match(@.name, '[ab]')].id", [1, 2]],
    ["$.items[?search(@.name, 'c|d')].id", [3, 4]],
    ["$.items[?value(@.tags[0]) == 'x'].id", [1]],
    ["$.user[?length(@) == 5]", ["alice"]],
    ["$.items[?@.active <= true].id", [4]],
    ["$.items[?@.active >= true].id", [4]],
    ["$.items[?@.missing <= null].id", []],
    ["$[?@ <= null]", [null]],
  ])("%s", (path, expected) => {
    expect(evaluateJsonPath(path, document)).toEqual(expected);
  });

  it.each([
    [1, "$", [1]],
    ["text", "$.a", []],
    [null, "$.*", []],
    [[{ a: 1 }, { a: 2 }], "$[*].a", [1, 2]],
  ])("evaluates on %j", (value, path, expected) => {
    expect(evaluateJsonPath(path, value)).toEqual(expected);
  });
});

describe("parseJsonPath", () => {
  it.each([
    ["$", true],
    ["$.a.b", true],
    ["$['a'][0]", true],
    ["$.a[-1]", true],
    ["$.a[*]", false],
    ["$.a.*", false],
    ["$..a", false],
    ["$.a[0,1]", false],
    ["$.a[0:1]", false],
    ["$.a[?(@.b)]", false],
  ])("%s is definite: %s", (path, definite) => {
    expect(parseJsonPath(path).definite).toBe(definite);
  });

  it.each([
    ["token", "a JSONPath starts with $ (like $.token or $.items[0].id) (at character 1)"],
    ["", "a JSONPath starts with $"],
    ["$.", "expected a member name or * after '.' (at character 3)"],
    ["$..", "bald descendant segment (at character 4)"],
    ["$.a[", "unclosed bracketed selection (at character 5)"],
    ["$.a[0", "unclosed bracketed selection (at character 6)"],
    ["$.a[0 1]", "expected token 'TOKEN_COMMA', found 'TOKEN_INDEX' (at character 7)"],
    ["$.a['b]", "unclosed string starting at index 5"],
    ["$.a['\\x']", "invalid escape (at character 7)"],
    ["$.a b", "found 'b' (at character 5)"],
    ["$a", "found 'a' (at character 2)"],
    ["$.a[99999999999999999999]", "index out of range"],
    ["$.a[?(@.b == )]", "unexpected ')' (at character 14)"],
    ["$.a[?(@.b == 1]", "unbalanced brackets"],
    ["$.a[?(@.b == [])]", "unexpected filter selector token '['"],
    ["$.a[?(1)]", "filter expression literals (1) must be compared"],
    // Accepted by the hand-written parser before json-p3, invalid in RFC 9535.
    ["$[01]", "leading zero in index selector (at character 3)"],
    ["$[?@[*]==0]", "non-singular query is not comparable: compare one value"],
    ["$.1", "a name that starts with a digit needs brackets, like $['1']"],
    ["  $.token", "RFC 9535 allows no blank space before the $ (at character 1)"],
    ["$.token  ", "RFC 9535 allows no blank space after the path (at character 8)"],
    ["$['a\u0001']", "invalid character (at character 4)"],
    ["$[?nope(@)]", "no such function 'nope'"],
    ["$[?count(@.a)]", "result of count()  must be compared"],
  ])("rejects %j", (path, message) => {
    const location = { file: "spec.yml", line: 9, column: 9 };
    let error: unknown;
    try {
      parseJsonPath(path, location);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: "ConfigurationError", location });
    expect((error as Error).message).toContain(`spec.yml:9:9: '${path}' is not a valid JSONPath: `);
    expect((error as Error).message).toContain(message);
  });

  it("keeps the path's text and its compiled query", () => {
    expect(parseJsonPath("$.a[0]")).toMatchObject({ source: "$.a[0]", definite: true });
  });

  it("reads escapes in quoted names", () => {
    expect(evaluateJsonPath("$['a\\u0062\\n\\'\"']", { "ab\n'\"": 1 })).toEqual([1]);
  });
});

// The RFC 9535 JSONPath Compliance Test Suite (BSD-2), as the jsonpath-rfc9535 package (a
// devDependency, used for nothing else) ships it in its own tests: 687 cases.
interface ComplianceCase {
  name: string;
  selector: string;
  document?: unknown;
  result?: unknown[];
  results?: unknown[][];
  invalid_selector?: boolean;
}

const compliance: { tests: ComplianceCase[] } = JSON.parse(
  readFileSync(
    new URL(
      "../../../node_modules/jsonpath-rfc9535/src/__tests__/jsonpath-compliance-test-suite/cts.json",
      import.meta.url,
    ),
    "utf8",
  ),
);

describe("RFC 9535 compliance suite", () => {
  it("has every case", () => {
    expect(compliance.tests).toHaveLength(687);
  });

  it.each(compliance.tests.map((test) => [test.name, test] as const))("%s", (_name, test) => {
    if (test.invalid_selector) {
      expect(() => parseJsonPath(test.selector)).toThrow(/is not a valid JSONPath/);
      return;
    }
    const values = evaluateJsonPath(parseJsonPath(test.selector), test.document);
    if (test.results !== undefined) expect(test.results).toContainEqual(values);
    else expect(values).toEqual(test.result);
  });
});
