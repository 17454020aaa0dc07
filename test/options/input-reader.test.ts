import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/errors.js";
import { createInputReader } from "../../src/options/input-reader.js";
import { recordInputs } from "../../src/options/input-source.js";

const reader = (values: Record<string, string>) => createInputReader(recordInputs(values));

describe("createInputReader", () => {
  it.each<[string, string | undefined, string, string | undefined]>([
    ["a value, trimmed", " x ", "x", "x"],
    ["empty", "", "", undefined],
    ["unset", undefined, "", undefined],
  ])("reads %s as string and optional", (_name, value, string, optional) => {
    const read = reader(value === undefined ? {} : { name: value });
    expect([read.string("name"), read.optional("name")]).toEqual([string, optional]);
  });

  it("fails for a required input left empty, saying where to set it", () => {
    expect(() => reader({ image: " " }).string("image", { required: true })).toThrow(
      "input 'image' is required: set it in the step's with: (or in goflow.yml)",
    );
  });

  it.each<[string, boolean, boolean]>([
    ["", true, true],
    ["", false, false],
    ["true", false, true],
    ["Yes", false, true],
    ["on", false, true],
    ["1", false, true],
    ["FALSE", true, false],
    ["no", true, false],
    ["off", true, false],
    ["0", true, false],
  ])("reads the boolean %j (fallback %s) as %s", (value, fallback, expected) => {
    expect(reader({ vet: value }).boolean("vet", fallback)).toBe(expected);
  });

  it("refuses a boolean that is neither, naming the input", () => {
    expect(() => reader({ vet: "maybe" }).boolean("vet", true)).toThrow(ConfigurationError);
    expect(() => reader({ vet: "maybe" }).boolean("vet", true)).toThrow(
      "input 'vet' is 'maybe'; use true or false",
    );
  });

  it.each<[string, string]>([
    ["", "check"],
    ["fix", "fix"],
    [" OFF ", "off"],
  ])("reads the choice %j as %s", (value, expected) => {
    expect(reader({ format: value }).choice("format", ["check", "fix", "off"], "check")).toBe(expected);
  });

  it("refuses a choice not offered, listing the choices", () => {
    expect(() => reader({ format: "sometimes" }).choice("format", ["check", "fix", "off"], "check")).toThrow(
      "input 'format' is 'sometimes'; use one of: check, fix, off",
    );
  });

  it.each<[string, string[]]>([
    ["", []],
    ["a", ["a"]],
    ["a, b,,c", ["a", "b", "c"]],
    ["a\n# a comment\n b \n", ["a", "b"]],
  ])("reads the list %j as %j", (value, expected) => {
    expect(reader({ packages: value }).list("packages")).toEqual(expected);
  });

  it.each<[string, number]>([
    ["", 0],
    ["3", 3],
  ])("reads the integer %j as %i", (value, expected) => {
    expect(reader({ "rerun-failed": value }).integer("rerun-failed", 0)).toBe(expected);
  });

  it.each<[string, number]>([
    ["-1", 0],
    ["1.5", 0],
    ["two", 0],
    ["0", 1],
  ])("refuses the integer %j (minimum %i)", (value, minimum) => {
    expect(() => reader({ days: value }).integer("days", 0, minimum)).toThrow(
      `input 'days' is '${value}'; use a whole number >= ${minimum}`,
    );
  });
});
