import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { imageReferences, normalizeImageName } from "../../../src/rules/gitflow/index.js";

describe("normalizeImageName", () => {
  it.each<[string, string]>([
    ["ghcr.io/acme/go-auth", "ghcr.io/acme/go-auth"],
    ["  ghcr.io/acme/app\n", "ghcr.io/acme/app"],
    ["GHCR.io/acme/app", "GHCR.io/acme/app"],
    ["localhost:5000/app", "localhost:5000/app"],
    ["localhost/app", "localhost/app"],
    ["registry.example.com:443/team/sub/app", "registry.example.com:443/team/sub/app"],
    ["[::1]:5000/app", "[::1]:5000/app"],
    ["nginx", "nginx"],
    ["acme/app", "acme/app"],
    ["acme/my_app", "acme/my_app"],
    ["acme/my__app", "acme/my__app"],
    ["acme/my---app", "acme/my---app"],
    ["acme/app.v2", "acme/app.v2"],
    ["ghcr.io", "ghcr.io"],
  ])("%j is valid", (name, expected) => {
    expect(normalizeImageName(name)).toBe(expected);
  });

  it.each<[string, string]>([
    [
      "ghcr.io/Acme/Go-Auth",
      "image 'ghcr.io/Acme/Go-Auth': repository names must be lower-case; use 'ghcr.io/acme/go-auth'",
    ],
    ["Acme/App", "image 'Acme/App': repository names must be lower-case; use 'acme/app'"],
    ["", "image name is empty; set it to a repository such as 'ghcr.io/acme/app'"],
    ["   ", "image name is empty; set it to a repository such as 'ghcr.io/acme/app'"],
    [
      "ghcr.io/acme/my app",
      "image 'ghcr.io/acme/my app': path component 'my app' is invalid; use lower-case letters and digits, separated by '.', '_', '__' or '-'",
    ],
    [
      "ghcr.io/Acme/my app",
      "image 'ghcr.io/Acme/my app': path component 'my app' is invalid; use lower-case letters and digits, separated by '.', '_', '__' or '-'",
    ],
    ["ghcr.io/acme/-app", "path component '-app' is invalid"],
    ["ghcr.io/acme/app-", "path component 'app-' is invalid"],
    ["ghcr.io/acme/a___b", "path component 'a___b' is invalid"],
    ["ghcr.io/acme/a..b", "path component 'a..b' is invalid"],
    ["ghcr.io/acme/app!", "path component 'app!' is invalid"],
    ["ghcr.io//app", "a path component is empty; remove the extra '/'"],
    ["ghcr.io/acme/", "a path component is empty; remove the extra '/'"],
    ["bad_host.io/app", "registry host 'bad_host.io' is invalid"],
    ["-bad.io/app", "registry host '-bad.io' is invalid"],
    ["host.io:port/app", "registry host 'host.io:port' is invalid"],
    ["ghcr.io/acme/app:1.0", "remove the tag ':1.0'"],
    ["app:latest", "remove the tag ':latest'"],
    ["ghcr.io/acme/app@sha256:abc", "remove the digest"],
    [`acme/${"a".repeat(260)}`, "registries accept at most 255"],
  ])("%j is refused", (name, message) => {
    expect(() => normalizeImageName(name)).toThrow(ConfigurationError);
    expect(() => normalizeImageName(name)).toThrow(message);
  });
});

describe("imageReferences", () => {
  it.each<[string, string[], string[]]>([
    ["ghcr.io/acme/app", ["1.2.3", "latest"], ["ghcr.io/acme/app:1.2.3", "ghcr.io/acme/app:latest"]],
    ["localhost:5000/app", ["develop"], ["localhost:5000/app:develop"]],
    ["ghcr.io/acme/app", [], []],
  ])("%s with %j", (image, tags, expected) => {
    expect(imageReferences(image, tags)).toEqual(expected);
  });

  it.each<[string, string[]]>([
    ["ghcr.io/Acme/app", ["1"]],
    ["ghcr.io/acme/app", ["bad/tag"]],
    ["ghcr.io/acme/app", [""]],
  ])("refuses %s with %j", (image, tags) => {
    expect(() => imageReferences(image, tags)).toThrow(ConfigurationError);
  });
});
