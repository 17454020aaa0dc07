import { describe, expect, it } from "vitest";
import { imageOverride } from "../../../src/rules/compose/overrides.js";

describe("imageOverride", () => {
  it("sets each image and never pulls it", () => {
    expect(imageOverride({ api: "api:dev", db: "redis:7" })).toEqual({
      services: {
        api: { image: "api:dev", pull_policy: "never" },
        db: { image: "redis:7", pull_policy: "never" },
      },
    });
  });
});
