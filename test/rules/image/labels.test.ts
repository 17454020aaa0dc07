import { describe, expect, it } from "vitest";
import {
  buildTime,
  computeImageLabels,
  formatRfc3339,
  type LabelContext,
} from "../../../src/rules/image/labels.js";

const CREATED = new Date("2026-11-20T10:00:00.123Z");

const push: LabelContext = {
  serverUrl: "https://github.com",
  repository: "acme/go-auth",
  sha: "0123456789abcdef0123456789abcdef01234567",
  pullRequest: undefined,
  repositoryDescription: "User registration and token service",
  repositoryLicense: "MIT",
};

describe("computeImageLabels", () => {
  it("gives the eight OCI labels and the channel for a push", () => {
    expect(computeImageLabels(push, { version: "develop", channel: "develop", created: CREATED })).toEqual({
      "org.opencontainers.image.created": "2026-11-20T10:00:00Z",
      "org.opencontainers.image.description": "User registration and token service",
      "org.opencontainers.image.licenses": "MIT",
      "org.opencontainers.image.revision": "0123456789abcdef0123456789abcdef01234567",
      "org.opencontainers.image.source": "https://github.com/acme/go-auth",
      "org.opencontainers.image.title": "go-auth",
      "org.opencontainers.image.url": "https://github.com/acme/go-auth",
      "org.opencontainers.image.version": "develop",
      "io.goflow.channel": "develop",
    });
  });

  it.each<[string, Partial<LabelContext>, Record<string, string | undefined>]>([
    [
      "a pull request: the head commit, not the merge commit",
      {
        pullRequest: { headSha: "fedcba9876543210fedcba9876543210fedcba98" },
      },
      { "org.opencontainers.image.revision": "fedcba9876543210fedcba9876543210fedcba98" },
    ],
    [
      "no description and no license: left out, not empty",
      { repositoryDescription: undefined, repositoryLicense: undefined },
      { "org.opencontainers.image.description": undefined, "org.opencontainers.image.licenses": undefined },
    ],
    [
      "a license GitHub could not identify",
      { repositoryLicense: "NOASSERTION" },
      { "org.opencontainers.image.licenses": undefined },
    ],
    [
      "GitHub Enterprise with a trailing slash",
      { serverUrl: "https://git.example.com/", repository: "platform/auth" },
      {
        "org.opencontainers.image.source": "https://git.example.com/platform/auth",
        "org.opencontainers.image.title": "auth",
      },
    ],
  ])("%s", (_name, context, expected) => {
    const labels = computeImageLabels(
      { ...push, ...context },
      { version: "1.2.3", channel: "release", created: CREATED },
    );
    for (const [key, value] of Object.entries(expected)) expect(labels[key]).toBe(value);
  });

  it("lets the labels input override per key and add keys", () => {
    const labels = computeImageLabels(
      push,
      { version: "1.2.3", channel: "release", created: CREATED },
      { "org.opencontainers.image.title": "Go Auth", "com.acme.team": "identity" },
    );
    expect(labels["org.opencontainers.image.title"]).toBe("Go Auth");
    expect(labels["com.acme.team"]).toBe("identity");
    expect(labels["org.opencontainers.image.version"]).toBe("1.2.3");
  });
});

describe("buildTime and formatRfc3339", () => {
  const now = () => CREATED;
  it.each<[number | undefined, string]>([
    [undefined, "2026-11-20T10:00:00Z"],
    [0, "1970-01-01T00:00:00Z"],
    [1_700_000_000, "2023-11-14T22:13:20Z"],
  ])("SOURCE_DATE_EPOCH %s → %s", (epoch, expected) => {
    expect(formatRfc3339(buildTime(epoch, now))).toBe(expected);
  });
});
