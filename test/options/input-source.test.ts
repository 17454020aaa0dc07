import { describe, expect, it } from "vitest";
import {
  defaultInputs,
  environmentInputs,
  flagInputs,
  type InputSource,
  layerInputs,
  recordInputs,
} from "../../src/options/input-source.js";

describe("environmentInputs", () => {
  const env = {
    INPUT_IMAGE: "  ghcr.io/acme/app ",
    "INPUT_VERSION-TAG-PREFIX": "",
    INPUT_SPACED_NAME: "x",
    image: "not an input",
  };
  it.each<[string, string | undefined]>([
    ["image", "ghcr.io/acme/app"],
    ["version-tag-prefix", ""],
    ["spaced name", "x"],
    ["target", undefined],
  ])("reads %s as core.getInput names it (upper-case, spaces to _, trimmed)", (name, expected) => {
    expect(environmentInputs(env)(name)).toBe(expected);
  });
});

describe("flagInputs", () => {
  const flags = flagInputs({
    image: " app ",
    vet: false,
    cgo: true,
    packages: ["./cmd/a", "./cmd/b"],
    tags: [],
    target: undefined,
  });
  it.each<[string, string | undefined]>([
    ["image", "app"],
    ["vet", "false"],
    ["cgo", "true"],
    ["packages", "./cmd/a\n./cmd/b"],
    ["tags", ""],
    ["target", undefined],
    ["ldflags", undefined],
  ])("gives %s as %j", (name, expected) => {
    expect(flags(name)).toBe(expected);
  });
});

describe("layerInputs", () => {
  const section = recordInputs({ image: "ghcr.io/acme/from-goflow-yml", latest: "false" });
  const read = (door: Record<string, string>, name: string) =>
    layerInputs(recordInputs(door), section, defaultInputs("docker-package"))(name);

  it.each<[string, Record<string, string>, string, string | undefined]>([
    ["the door wins over goflow.yml", { image: "ghcr.io/acme/from-flag" }, "image", "ghcr.io/acme/from-flag"],
    ["goflow.yml fills what the door leaves empty", { image: "  " }, "image", "ghcr.io/acme/from-goflow-yml"],
    ["the action.yml default fills what both leave unset", {}, "push", "auto"],
    ["goflow.yml wins over the action.yml default", {}, "latest", "false"],
    ["the door wins over the default", { push: "true" }, "push", "true"],
    ["an empty door value is unset, so the default applies", { push: "" }, "push", "auto"],
    ["nothing anywhere is unset", {}, "target", undefined],
    ["an unset version-tag-prefix takes the default", {}, "version-tag-prefix", "v"],
    ["an empty version-tag-prefix is a choice", { "version-tag-prefix": "" }, "version-tag-prefix", ""],
  ])("%s", (_name, door, input, expected) => {
    expect(read(door, input)).toBe(expected);
  });

  it("asks the later sources only for what the earlier ones leave unset", () => {
    const asked: string[] = [];
    const spy: InputSource = (name) => {
      asked.push(name);
      return "later";
    };
    const source = layerInputs(recordInputs({ a: "first" }), spy);
    expect([source("a"), source("b")]).toEqual(["first", "later"]);
    expect(asked).toEqual(["b"]);
  });
});
