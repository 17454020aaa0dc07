import { describe, expect, it } from "vitest";
import { suggestClosestKey } from "../../../src/rules/spec/closest-key.js";

const keys = ["name", "target", "request", "curl", "expect", "capture", "retry", "skip", "continue-on-error"];

describe("suggestClosestKey", () => {
  it.each([
    ["expct", "expect"],
    ["reqeust", "request"],
    ["Expect", "expect"],
    ["captures", "capture"],
    ["continue_on_error", "continue-on-error"],
    ["nme", "name"],
    ["crl", "curl"],
  ])("suggests %s → %s", (key, suggestion) => {
    expect(suggestClosestKey(key, keys)).toBe(suggestion);
  });

  it.each(["foo", "assertions", "x"])("suggests nothing for %s", (key) => {
    expect(suggestClosestKey(key, keys)).toBeUndefined();
  });
});
