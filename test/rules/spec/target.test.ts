import { describe, expect, it } from "vitest";
import { parseSpec } from "../../../src/rules/spec/parse-spec.js";
import { type RequestDestination, specTargets } from "../../../src/rules/spec/spec.js";
import { bindServiceUrls, parseServiceTarget } from "../../../src/rules/spec/target.js";

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

describe("bindServiceUrls", () => {
  const services = ["goauth", "redis"];
  const destinationOf = (curl: string) => {
    const spec = parseSpec(`tests:\n  - name: t\n    curl: ${JSON.stringify(curl)}\n`, "spec.yml");
    return bindServiceUrls(spec, services).tests[0]?.request.destination;
  };
  const at = { file: "spec.yml", line: 3, column: 11 };

  it.each<[string, RequestDestination]>([
    // The classic script's line: no scheme, the compose service as host.
    [
      "curl -X PUT -d userid=a goauth:9000/user",
      { kind: "service", target: { service: "goauth", port: 9000, location: at }, path: "/user" },
    ],
    [
      "http://goauth:9000/token/${{ env.USER }}?x=1#top",
      {
        kind: "service",
        target: { service: "goauth", port: 9000, location: at },
        path: "/token/${{ env.USER }}?x=1",
      },
    ],
    ["goauth", { kind: "service", target: { service: "goauth", port: 80, location: at }, path: "/" }],
    [
      "redis:6379?x",
      { kind: "service", target: { service: "redis", port: 6379, location: at }, path: "/?x" },
    ],
    // Not a service of the environment, https, a template host, user info: used as written.
    ["localhost:9000/user", { kind: "url", url: "http://localhost:9000/user" }],
    ["https://goauth:9000/user", { kind: "url", url: "https://goauth:9000/user" }],
    ["http://goauth.example.com/user", { kind: "url", url: "http://goauth.example.com/user" }],
    ["'${{ env.BASE }}/user'", { kind: "url", url: "${{ env.BASE }}/user" }],
    ["http://u:p@goauth:9000/", { kind: "url", url: "http://u:p@goauth:9000/" }],
    ["http://goauth:99999/", { kind: "url", url: "http://goauth:99999/" }],
  ])("%s", (curl, destination) => {
    expect(destinationOf(curl)).toEqual(destination);
  });

  it("binds the wait request too, and the bound service becomes a target of the spec", () => {
    const spec = parseSpec(
      "wait:\n  request: GET http://goauth:9000/health\ntests:\n  - name: t\n    curl: curl goauth:9000/user\n",
      "spec.yml",
    );
    const bound = bindServiceUrls(spec, services);
    expect(bound.wait?.request.destination).toMatchObject({ kind: "service", path: "/health" });
    expect(specTargets(bound).map((reference) => `${reference.service}:${reference.port}`)).toEqual([
      "goauth:9000",
      "goauth:9000",
    ]);
    expect(specTargets(spec)).toEqual([]);
  });
});
