import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeUnsupportedNode, OLDEST_SUPPORTED_NODE_MAJOR } from "../../src/cli/node-support.js";

describe("describeUnsupportedNode", () => {
  it.each([
    ["v24.22.3", undefined],
    ["v22.0.0", undefined],
    ["v26.1.0", undefined],
    ["v20.20.2", /needs Node\.js 22 or newer; this is Node\.js v20\.20\.2, which is past its end of life/],
    ["v18.19.0", /this is Node\.js v18\.19\.0/],
    ["not a version", /needs Node\.js 22 or newer/],
  ])("%s", (version, expected) => {
    const message = describeUnsupportedNode(version);
    if (expected === undefined) expect(message).toBeUndefined();
    else expect(message).toMatch(expected);
  });

  it("agrees with package.json's engines", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${OLDEST_SUPPORTED_NODE_MAJOR}`);
  });
});
