import { describe, expect, it } from "vitest";
import {
  parseLoadedImage,
  parsePushDigest,
  parseRepoDigest,
  pushRefusal,
} from "../../../src/rules/image/docker-output.js";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("docker output parsers", () => {
  it.each<[string, string, string | undefined]>([
    ["a push", `c1c2d89c1696: Pushed\n1.2.3: digest: ${DIGEST} size: 735\n`, DIGEST],
    ["a push of a layer that existed", `c1c2: Layer already exists\nx: digest: ${DIGEST} size: 1`, DIGEST],
    ["no digest line", "c1c2d89c1696: Pushed\n", undefined],
  ])("parsePushDigest: %s", (_name, output, expected) => {
    expect(parsePushDigest(output)).toBe(expected);
  });

  it.each<[string, string, string | undefined]>([
    ["the image's entry", `["other/app@sha256:1","ghcr.io/acme/app@${DIGEST}"]`, DIGEST],
    ["a longer name sharing the prefix", `["ghcr.io/acme/app-x@${DIGEST}"]`, undefined],
    ["none", "[]", undefined],
    ["not JSON", "template: no such field", undefined],
  ])("parseRepoDigest: %s", (_name, json, expected) => {
    expect(parseRepoDigest(json, "ghcr.io/acme/app")).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ["Loaded image: localhost:5000/acme/app:develop\n", "localhost:5000/acme/app:develop"],
    [`Loaded image ID: ${DIGEST}\n`, DIGEST],
    ["nothing useful", undefined],
  ])("parseLoadedImage(%j)", (output, expected) => {
    expect(parseLoadedImage(output)).toBe(expected);
  });
});

describe("pushRefusal", () => {
  it.each<[string, string | undefined]>([
    [
      "The push refers to repository [localhost:5000/a]\nno basic auth credentials\n",
      "no basic auth credentials",
    ],
    ["unauthorized: authentication required", "unauthorized: authentication required"],
    ["denied: permission_denied: write_package", "denied: permission_denied: write_package"],
    ["received unexpected HTTP status: 500 Internal Server Error", undefined],
    ["", undefined],
  ])("%j -> %j", (stderr, expected) => {
    expect(pushRefusal(stderr)).toBe(expected);
  });
});
