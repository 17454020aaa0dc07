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
    ["  $.token  ", ["abc"]],
    ["$[ 'token' , 'empty' ]", ["abc", null]],
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
    ["$..", "expected a member name or * after '.'"],
    ["$.a[", "expected a name in quotes, an index, a slice, * or a ?(filter) (at character 5)"],
    ["$.a[0", "missing ] (at character 6)"],
    ["$.a[0 1]", "expected , or ] but found '1' (at character 7)"],
    ["$.a['b]", "the string starting here is not closed with ' (at character 5)"],
    ["$.a['\\x']", "unknown escape \\x (at character 6)"],
    ["$.a b", "unexpected 'b' (at character 5)"],
    ["$a", "unexpected 'a' (at character 2)"],
    ["$.a[99999999999999999999]", "is too large for an index"],
    ["$.a[?(@.b == )]", "expected @.path, $.path, a number, a quoted string, true, false or null"],
    ["$.a[?(@.b == 1]", "missing ) in the filter"],
    ["$.a[?(@.b == [])]", "expected @.path, $.path, a number, a quoted string, true, false or null"],
    ["$.a[?(1)]", "a literal on its own is not a filter; compare it, like @.x == 1"],
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

  it("reads escapes in quoted names", () => {
    expect(evaluateJsonPath("$['a\\u0062\\n\\\"']", { 'ab\n"': 1 })).toEqual([1]);
  });
});
