import { describe, expect, it } from "vitest";
import {
  type ComposeConfig,
  composeServiceNames,
  parseComposeConfig,
} from "../../../src/rules/compose/index.js";
import { fixtureConfig } from "./fixtures.js";

describe("parseComposeConfig", () => {
  it.each<[string, string[]]>([
    ["config-goauth.json", ["goauth", "redis"]],
    ["config-goauth-merged.json", ["goauth", "migrate", "redis"]],
    ["config-port-edge-cases.json", ["api", "worker"]],
    ["config-minimal.json", ["sidecar", "worker"]],
  ])("%s has services %j", (file, services) => {
    expect(composeServiceNames(fixtureConfig(file))).toEqual(services);
  });

  it.each<[string, string, RegExp]>([
    ["not JSON", "services:\n  a: {}", /did not print JSON/],
    ["no services", '{"name":"x"}', /without a 'services' map/],
    ["services is a list", '{"services":[]}', /without a 'services' map/],
    ["a service is not an object", '{"services":{"a":1}}', /service 'a' is not an object/],
    ["short-form ports", '{"services":{"a":{"ports":["9000:9000"]}}}', /not in long form/],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseComposeConfig(text)).toThrow(message);
  });

  it("accepts a service with null ports", () => {
    expect(parseComposeConfig('{"services":{"a":{"ports":null}}}').services.a).toEqual({ ports: null });
  });
});

describe("composeServiceNames", () => {
  it.each<[ComposeConfig["services"], string[]]>([
    [{}, []],
    [{ b: {}, a: {}, B: {} }, ["B", "a", "b"]],
    [{ "web.1": {}, web_2: {}, "web-0": {} }, ["web-0", "web.1", "web_2"]],
  ])("%j → %j (code-unit order)", (services, names) => {
    expect(composeServiceNames({ services })).toEqual(names);
  });
});
