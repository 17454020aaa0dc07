import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  EMPTY_BLOB,
  EMPTY_DIGEST,
  readTestedMarker,
  TESTED_ARTIFACT_TYPE,
  testedMarkerManifest,
  testedMarkerTag,
} from "../../../src/rules/promote/tested-marker.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const subject = { mediaType: "application/vnd.oci.image.index.v1+json", digest: DIGEST, size: 1234 };

describe("the tested marker", () => {
  it("is tagged after the image's digest", () => {
    expect(testedMarkerTag(DIGEST)).toBe(`sha256-${"a".repeat(64)}.goflow-tested`);
    expect(testedMarkerTag(DIGEST)).toMatch(/^[\w][\w.-]{0,127}$/);
  });

  it("is an OCI artifact whose subject is the image", () => {
    const manifest = JSON.parse(
      testedMarkerManifest(subject, { created: "2026-12-02T00:00:00Z", runUrl: "https://x/runs/1" }),
    );
    expect(manifest).toMatchObject({
      artifactType: TESTED_ARTIFACT_TYPE,
      subject,
      config: { digest: EMPTY_DIGEST, size: 2 },
    });
    expect(manifest.annotations).toEqual({
      "org.opencontainers.image.created": "2026-12-02T00:00:00Z",
      "io.goflow.tested.run": "https://x/runs/1",
    });
    expect(`sha256:${createHash("sha256").update(EMPTY_BLOB.content).digest("hex")}`).toBe(EMPTY_DIGEST);
  });

  it.each([
    {
      name: "its own marker",
      manifest: testedMarkerManifest(subject, { created: "t", runUrl: "u" }),
      expected: { tested: true, runUrl: "u" },
    },
    {
      name: "another image's marker",
      manifest: testedMarkerManifest({ ...subject, digest: `sha256:${"b".repeat(64)}` }, { created: "t" }),
      expected: { tested: false },
    },
    {
      name: "some other artifact",
      manifest: JSON.stringify({ artifactType: "application/x", subject }),
      expected: { tested: false },
    },
    { name: "not JSON", manifest: "<html>", expected: { tested: false } },
  ])("reads $name", ({ manifest, expected }) => {
    expect(readTestedMarker(manifest, DIGEST)).toMatchObject(expected);
  });
});
