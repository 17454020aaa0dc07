import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import { type LoginDecision, planRegistryLogin, registryHost } from "../../../src/rules/image/registry.js";

describe("registryHost", () => {
  it.each([
    ["ghcr.io/acme/app", "ghcr.io"],
    ["localhost:5000/acme/app", "localhost:5000"],
    ["localhost/app", "localhost"],
    ["acme/app", "docker.io"],
    ["app", "docker.io"],
  ])("%s → %s", (image, host) => {
    expect(registryHost(image)).toBe(host);
  });
});

describe("planRegistryLogin", () => {
  const none = { registry: undefined, username: undefined, password: undefined };
  it.each<[string, Parameters<typeof planRegistryLogin>[0], boolean, LoginDecision]>([
    ["no credentials: the runner's own login", none, true, { login: undefined }],
    [
      "nothing pushed: no login, even without a password (fork pull requests)",
      { ...none, username: "octocat" },
      false,
      { login: undefined, info: "not logging in to the registry: nothing is pushed" },
    ],
    [
      "the image's registry by default",
      { ...none, username: "octocat", password: "s3cret" },
      true,
      { login: { registry: "ghcr.io", username: "octocat", password: "s3cret" } },
    ],
    [
      "a registry given as a URL is the image's",
      { registry: "https://ghcr.io/", username: "octocat", password: "s3cret" },
      true,
      { login: { registry: "https://ghcr.io/", username: "octocat", password: "s3cret" } },
    ],
    [
      "another registry than the image's: a warning",
      { registry: "docker.io", username: "octocat", password: "s3cret" },
      true,
      {
        login: { registry: "docker.io", username: "octocat", password: "s3cret" },
        warning: "logging in to docker.io, but the image 'ghcr.io/acme/app' is pushed to ghcr.io",
      },
    ],
  ])("%s", (_, credentials, pushNow, expected) => {
    expect(planRegistryLogin(credentials, "ghcr.io/acme/app", pushNow)).toEqual(expected);
  });

  it.each<[string, Parameters<typeof planRegistryLogin>[0], RegExp]>([
    [
      "a password without a username",
      { ...none, password: "s3cret" },
      /^password is set but username is empty/,
    ],
    [
      "a registry without a username",
      { ...none, registry: "ghcr.io" },
      /^registry 'ghcr.io' is set but username is empty; .*remove registry/,
    ],
    [
      "a username without a password",
      { ...none, username: "octocat" },
      /^username 'octocat' is set for ghcr.io but password is empty/,
    ],
  ])("refuses %s", (_, credentials, message) => {
    expect(() => planRegistryLogin(credentials, "ghcr.io/acme/app", true)).toThrow(ConfigurationError);
    expect(() => planRegistryLogin(credentials, "ghcr.io/acme/app", true)).toThrow(message);
  });
});
