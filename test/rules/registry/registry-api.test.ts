import { describe, expect, it } from "vitest";
import { locateRepository, parseAuthChallenge, tokenUrl } from "../../../src/rules/registry/registry-api.js";

describe("locateRepository", () => {
  it.each([
    ["ghcr.io/acme/go-auth", { host: "ghcr.io", baseUrl: "https://ghcr.io", path: "acme/go-auth" }],
    [
      "localhost:5000/acme/app",
      { host: "localhost:5000", baseUrl: "http://localhost:5000", path: "acme/app" },
    ],
    ["127.0.0.1:5000/app", { host: "127.0.0.1:5000", baseUrl: "http://127.0.0.1:5000", path: "app" }],
    [
      "registry.example.com:8443/a/b/c",
      { host: "registry.example.com:8443", baseUrl: "https://registry.example.com:8443", path: "a/b/c" },
    ],
    ["redis", { host: "docker.io", baseUrl: "https://registry-1.docker.io", path: "library/redis" }],
    ["acme/app", { host: "docker.io", baseUrl: "https://registry-1.docker.io", path: "acme/app" }],
    ["docker.io/acme/app", { host: "docker.io", baseUrl: "https://registry-1.docker.io", path: "acme/app" }],
  ])("%s", (image, expected) => {
    expect(locateRepository(image)).toEqual(expected);
  });
});

describe("parseAuthChallenge", () => {
  it.each([
    [null, undefined],
    ["", undefined],
    ['Basic realm="Registry Realm"', { scheme: "basic", realm: "Registry Realm" }],
    ["basic", { scheme: "basic" }],
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/app:pull"',
      {
        scheme: "bearer",
        realm: "https://ghcr.io/token",
        service: "ghcr.io",
        scope: "repository:acme/app:pull",
      },
    ],
    [
      'Bearer realm="https://auth.docker.io/token", service="registry.docker.io"',
      { scheme: "bearer", realm: "https://auth.docker.io/token", service: "registry.docker.io" },
    ],
    ["Bearer service=x", undefined],
    ["Negotiate abc", undefined],
  ])("%s", (header, expected) => {
    expect(parseAuthChallenge(header)).toEqual(expected);
  });

  it("builds the token URL for the scope a push needs", () => {
    const url = tokenUrl(
      { scheme: "bearer", realm: "https://ghcr.io/token?x=1", service: "ghcr.io" },
      "repository:acme/app:pull,push",
    );
    expect(url).toBe("https://ghcr.io/token?x=1&service=ghcr.io&scope=repository%3Aacme%2Fapp%3Apull%2Cpush");
  });
});
