import { describe, expect, it } from "vitest";
import { parseServiceTarget } from "../../../src/rules/spec/target.js";

const location = { file: "spec.yml", line: 1, column: 9 };

describe("parseServiceTarget", () => {
  it.each([
    ["goauth:9000", "goauth", 9000],
    ["my_api.v2-x:1", "my_api.v2-x", 1],
    ["db:65535", "db", 65535],
  ])("reads %s", (text, service, port) => {
    expect(parseServiceTarget(text, location)).toEqual({ service, port, location });
  });

  it.each([
    "goauth",
    "goauth:",
    ":9000",
    "goauth:0",
    "goauth:65536",
    "http://goauth:9000",
    "go auth:80",
    "-x:80",
  ])("rejects %j with its location", (text) => {
    let error: unknown;
    try {
      parseServiceTarget(text, location);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      name: "ConfigurationError",
      location,
      message: `spec.yml:1:9: '${text}' is not a target; write the compose service and its container port, like goauth:9000`,
    });
  });
});
