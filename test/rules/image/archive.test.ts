import { describe, expect, it } from "vitest";
import {
  describeArchiveMismatch,
  formatImageMetadata,
  type ImageMetadata,
  parseImageMetadata,
} from "../../../src/rules/image/archive.js";

const metadata: ImageMetadata = {
  imageId: "sha256:abc",
  references: ["ghcr.io/acme/app:develop"],
  version: "develop",
  channel: "develop",
  revision: "0123abc",
};

describe("image metadata", () => {
  it("reads back what it writes", () => {
    expect(parseImageMetadata(formatImageMetadata(metadata))).toEqual(metadata);
  });

  it.each<[string, string]>([
    ["not JSON", "{"],
    ["no image id", '{"references": []}'],
    ["an image id that is not text", '{"imageId": 1}'],
    ["not an object", '"sha256:abc"'],
  ])("is undefined for %s", (_, text) => {
    expect(parseImageMetadata(text)).toBeUndefined();
  });
});

describe("describeArchiveMismatch", () => {
  it.each<[string, { revision: string; version: string }, string[]]>([
    ["the same commit and version", { revision: "0123abc", version: "develop" }, []],
    [
      "another commit",
      { revision: "fff", version: "develop" },
      ["the image in artifact image was built from 0123abc, this run is for fff"],
    ],
    [
      "another version too",
      { revision: "fff", version: "1.2.3" },
      [
        "the image in artifact image was built from 0123abc, this run is for fff",
        "the image in artifact image was built as version develop, this run computes 1.2.3",
      ],
    ],
  ])("%s", (_, expected, warnings) => {
    expect(describeArchiveMismatch("image", metadata, expected)).toEqual(warnings);
  });
});
