import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import { parseNetwork, readGoBuildOptions } from "../../src/options/go-build.js";
import { emptyProjectConfig } from "../../src/rules/config/project-config.js";
import { bothDoors } from "./support.js";

describe("parseNetwork", () => {
  it.each([
    ["", undefined],
    ["  ", undefined],
    ["host", "host"],
    ["bridge", "bridge"],
    [" none ", "none"],
    ["ci_services.net-1", "ci_services.net-1"],
  ])("reads '%s' as %s", (value, expected) => {
    expect(parseNetwork(value)).toBe(expected);
  });

  it.each(["-host", "my network", "container:db", "a;b", ".hidden"])(
    "refuses '%s', naming the input and what it accepts",
    (value) => {
      expect(() => parseNetwork(value)).toThrow(ConfigurationError);
      expect(() => parseNetwork(value)).toThrow(
        `network is '${value}'; use host, bridge, none or the name of an existing Docker network`,
      );
    },
  );
});

describe("readGoBuildOptions", () => {
  const config = emptyProjectConfig();
  config.build = { "go-version": "1.23", "test-flags": "-race", vet: "false" };
  config.package = { "release-prefix": "rel/" };
  const env = { GOPROXY: "https://proxy.example", HOME: "/home/me" };

  it.each(
    bothDoors(
      {
        "working-directory": "svc",
        "go-version": "1.24",
        tags: "integration, e2e",
        packages: "./cmd/a\n./cmd/b",
        output: "bin",
        "junit-report": "reports/go.xml",
        platforms: "linux/amd64",
        "version-tag-prefix": "",
      },
      { config, env },
    ),
  )("reads %s over goflow.yml and the defaults", (_door, sources) => {
    expect(readGoBuildOptions(sources)).toEqual({
      workingDirectory: "/ws/svc",
      goVersion: "1.24",
      builderImage: undefined,
      format: "check",
      vet: false,
      test: true,
      testFlags: ["-race"],
      rerunFailed: 0,
      packages: ["./cmd/a", "./cmd/b"],
      output: "/ws/svc/bin",
      ldflags: "",
      tags: ["integration", "e2e"],
      cgo: false,
      platforms: [{ os: "linux", arch: "amd64", variant: undefined }],
      versionVariable: undefined,
      version: undefined,
      gitflow: { releasePrefix: "rel/", versionTagPrefix: "", keepVersionPrefix: false, latest: "auto" },
      junitReport: "/ws/reports/go.xml",
      cache: true,
      cacheDir: "/tmp/runner/goflow-go",
      artifactName: undefined,
      privateModulesToken: undefined,
      privateModulesHost: "github.com",
      passedEnv: { GOPROXY: "https://proxy.example" },
      network: undefined,
    });
  });

  it.each(bothDoors({ "rerun-failed": "-1" }))("refuses a bad number from %s", (_door, sources) => {
    expect(() => readGoBuildOptions(sources)).toThrow(
      "input 'rerun-failed' is '-1'; use a whole number >= 0",
    );
  });
});
