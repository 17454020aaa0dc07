import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { parseNetwork } from "../../../src/stages/go-build/options.js";

describe("parseNetwork", () => {
  it.each([
    ["", undefined],
    ["  ", undefined],
    ["host", "host"],
    ["bridge", "bridge"],
    [" none ", "none"],
    ["ci_services.net-1", "ci_services.net-1"],
  ])("reads '%s' as %s", (value, expected) => {
    expect(parseNetwork(value)).toBe(expected);
  });

  it.each(["-host", "my network", "container:db", "a;b", ".hidden"])(
    "refuses '%s', naming the input and what it accepts",
    (value) => {
      expect(() => parseNetwork(value)).toThrow(ConfigurationError);
      expect(() => parseNetwork(value)).toThrow(
        `network is '${value}'; use host, bridge, none or the name of an existing Docker network`,
      );
    },
  );
});
