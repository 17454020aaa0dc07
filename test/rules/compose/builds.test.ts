import { describe, expect, it } from "vitest";
import {
  type ComposeConfig,
  nameEnvironmentBuilds,
  servicesToBuild,
} from "../../../src/rules/compose/index.js";

const RUN = { key: "io.goflow.run", value: "42-1-abcd" };
const PROJECT = "go-auth-42-1-test-users-0a1b2c";

const config: ComposeConfig = {
  services: {
    api: {
      build: { context: "/w/api", labels: { team: "auth" } },
      image: "registry.example.com/acme/api:1.2",
    },
    worker: { image: "registry.example.com/acme/api:1.2", command: ["work"] },
    tool: { build: { context: "/w/tool" } },
    redis: { image: "redis:7" },
  },
};

describe("servicesToBuild", () => {
  it("lists services with a build section", () => {
    expect(servicesToBuild(config)).toEqual(["api", "tool"]);
  });
});

describe("nameEnvironmentBuilds", () => {
  it("names every build for the environment, labels it with the run, and renames services sharing the image", () => {
    const before = structuredClone(config);
    const builds = nameEnvironmentBuilds(config, PROJECT, RUN);
    expect(config).toEqual(before);
    expect(builds.services).toEqual(["api", "tool"]);
    expect(builds.images).toEqual([`${PROJECT}-api-1-2`, `${PROJECT}-tool`]);
    expect(builds.config.services.api).toEqual({
      build: { context: "/w/api", labels: { team: "auth", "io.goflow.run": "42-1-abcd" } },
      image: `${PROJECT}-api-1-2`,
    });
    expect(builds.config.services.worker?.image).toBe(`${PROJECT}-api-1-2`);
    expect(builds.config.services.tool?.image).toBe(`${PROJECT}-tool`);
    expect(builds.config.services.redis?.image).toBe("redis:7");
    expect(builds.changes).toEqual([
      `api: builds ${PROJECT}-api-1-2 (instead of registry.example.com/acme/api:1.2)`,
      `tool: builds ${PROJECT}-tool`,
      `worker: image registry.example.com/acme/api:1.2 → ${PROJECT}-api-1-2 (built in this environment)`,
    ]);
  });

  it("gives two services building under one tag one image", () => {
    const shared: ComposeConfig = {
      services: {
        a: { build: { context: "." }, image: "app" },
        b: { build: { context: "." }, image: "app" },
      },
    };
    const builds = nameEnvironmentBuilds(shared, "p", RUN);
    expect(builds.images).toEqual(["p-app"]);
    expect(builds.config.services.b?.image).toBe("p-app");
  });

  it("changes nothing without builds", () => {
    const builds = nameEnvironmentBuilds({ services: { redis: { image: "redis:7" } } }, "p", RUN);
    expect(builds).toMatchObject({ services: [], images: [], changes: [] });
  });
});
