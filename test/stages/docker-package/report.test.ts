import { describe, expect, it } from "vitest";
import { packageOutputs, renderPackageSummary } from "../../../src/stages/docker-package/report.js";
import type { PackageResult } from "../../../src/stages/docker-package/stage.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

function result(overrides: Partial<PackageResult> = {}): PackageResult {
  return {
    image: "ghcr.io/acme/go-auth",
    version: "develop",
    channel: "develop",
    tags: ["develop", "sha-0123456"],
    references: ["ghcr.io/acme/go-auth:develop", "ghcr.io/acme/go-auth:sha-0123456"],
    imageId: `sha256:${"b".repeat(64)}`,
    digest: DIGEST,
    shouldPush: true,
    pushReason: "push to develop: published",
    pushed: true,
    labels: {},
    source: "build",
    ...overrides,
  };
}

describe("packageOutputs", () => {
  it("gives every output as text and all of them as JSON", () => {
    const outputs = packageOutputs(result());
    expect(outputs).toMatchObject({
      version: "develop",
      channel: "develop",
      tags: "ghcr.io/acme/go-auth:develop\nghcr.io/acme/go-auth:sha-0123456",
      image: "ghcr.io/acme/go-auth:develop",
      digest: DIGEST,
      pushed: "true",
      "should-push": "true",
      "push-reason": "push to develop: published",
    });
    expect(JSON.parse(outputs.json ?? "")).toEqual({
      version: "develop",
      channel: "develop",
      tags: ["ghcr.io/acme/go-auth:develop", "ghcr.io/acme/go-auth:sha-0123456"],
      image: "ghcr.io/acme/go-auth:develop",
      "image-id": `sha256:${"b".repeat(64)}`,
      digest: DIGEST,
      pushed: true,
      "should-push": true,
      "push-reason": "push to develop: published",
    });
  });

  it("leaves digest empty when nothing was pushed", () => {
    const outputs = packageOutputs(
      result({ digest: undefined, pushed: false, shouldPush: false, pushReason: "feature branch" }),
    );
    expect([outputs.digest, outputs.pushed, outputs["should-push"]]).toEqual(["", "false", "false"]);
  });
});

describe("renderPackageSummary", () => {
  it("tabulates version, channel, tags and the push decision", () => {
    expect(renderPackageSummary(result())).toBe(
      [
        "### docker-package: ghcr.io/acme/go-auth",
        "",
        "| | |",
        "| --- | --- |",
        "| version | `develop` |",
        "| channel | develop |",
        "| tags | `ghcr.io/acme/go-auth:develop`<br>`ghcr.io/acme/go-auth:sha-0123456` |",
        `| image id | \`sha256:${"b".repeat(64)}\` |`,
        "| source | built |",
        "| push | pushed: push to develop: published |",
        `| digest | \`ghcr.io/acme/go-auth@${DIGEST}\` |`,
        "",
        "",
      ].join("\n"),
    );
  });

  it("says why a fork pull request was not pushed, and escapes table characters", () => {
    const summary = renderPackageSummary(
      result({
        digest: undefined,
        pushed: false,
        shouldPush: false,
        pushReason: "pull request from a fork: not pushed | really",
        source: "artifact",
      }),
    );
    expect(summary).toContain("| push | not pushed: pull request from a fork: not pushed \\| really |");
    expect(summary).toContain("| source | loaded from a save-artifact archive |");
    expect(summary).not.toContain("digest");
  });
});
