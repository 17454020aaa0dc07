import { describe, expect, it } from "vitest";
import { readComposeTestOptions } from "../../src/options/compose-test.js";
import { readDockerPackageOptions } from "../../src/options/docker-package.js";
import { readGoBuildOptions } from "../../src/options/go-build.js";
import { recordInputs } from "../../src/options/input-source.js";
import { readPipelineOptions } from "../../src/options/pipeline.js";
import { emptyProjectConfig } from "../../src/rules/config/project-config.js";
import { bothDoors } from "./support.js";

describe("readPipelineOptions", () => {
  const config = emptyProjectConfig();
  config.test = { "compose-service": "from-goflow-yml" };
  const values = {
    image: "ghcr.io/acme/app",
    "build-tags": "integration",
    "go-junit-report": "reports/go.xml",
    tags: "edge",
    "junit-report": "reports/specs.xml",
    "artifact-name": "handed-between-jobs",
    shard: "1/2",
    "defer-push": "true",
  };

  it.each(bothDoors(values, { config }))(
    "reads %s under the root action's names, with no job hand-offs",
    (_door, sources) => {
      const options = readPipelineOptions(sources, false);
      expect(options.build.tags).toEqual(["integration"]);
      expect(options.build.junitReport).toBe("/ws/reports/go.xml");
      expect(options.build.artifactName).toBeUndefined();
      expect(options.package.explicitTags).toEqual(["edge"]);
      expect(options.package.artifactName).toBeUndefined();
      expect(options.package.deferPush).toBe(false);
      expect(options.test.junitReport).toBe("/ws/reports/specs.xml");
      expect(options.test.shard).toBeUndefined();
      expect(options.composeService).toBe("from-goflow-yml");
      expect(options.publish).toBe(false);
    },
  );

  it("reads each stage as that stage's own reader does, given the stage's names", () => {
    const [[, sources]] = bothDoors({ image: "ghcr.io/acme/app", "compose-service": "app" }, { config }) as [
      [string, Parameters<typeof readPipelineOptions>[0]],
    ];
    const options = readPipelineOptions(sources, true);
    expect(options).toEqual({
      build: readGoBuildOptions(sources),
      package: readDockerPackageOptions(sources),
      test: readComposeTestOptions(sources),
      composeService: "app",
      publish: true,
    });
  });

  it("gives the same options through both doors", () => {
    const [action, cli] = bothDoors(values, { config }).map(([, sources]) =>
      readPipelineOptions(sources, true),
    );
    expect(action).toEqual(cli);
  });

  it("takes compose-service from the door over goflow.yml", () => {
    const [[, sources]] = bothDoors({ image: "x" }, { config }) as [
      [string, Parameters<typeof readPipelineOptions>[0]],
    ];
    const door = recordInputs({ image: "x", "compose-service": "from-door" });
    expect(readPipelineOptions({ ...sources, door }, true).composeService).toBe("from-door");
  });
});
