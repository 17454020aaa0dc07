import { describe, expect, it } from "vitest";
import { parseGofmtList, unformattedFindings } from "../../../src/rules/go/index.js";
import { goFixture } from "./fixtures.js";

describe("parseGofmtList", () => {
  it.each<[string, string, string[]]>([
    ["empty output", "", []],
    ["only blank lines", "\n\n  \n", []],
    ["one file", "main.go\n", ["main.go"]],
    ["./ stripped, CRLF", "./main.go\r\n./internal/x.go\r\n", ["main.go", "internal/x.go"]],
    ["duplicates dropped", "a.go\n./a.go\n", ["a.go"]],
    [
      "merged stderr lines ignored",
      "a.go\nbroken.go:3:1: expected declaration, found 'IDENT' foo\ngofmt: some error\n",
      ["a.go"],
    ],
    ["real output", goFixture("gofmt-l.txt"), ["internal/auth/x.go", "internal/store/ugly.go"]],
  ])("%s", (_, text, expected) => {
    expect(parseGofmtList(text)).toEqual(expected);
  });
});

describe("unformattedFindings", () => {
  it("gives one error per file, at the workspace path", () => {
    expect(unformattedFindings(["main.go", "internal/x.go"], "services/auth")).toEqual([
      {
        severity: "error",
        title: "gofmt",
        message: "File is not gofmt-formatted; run `gofmt -w services/auth/main.go` or set `format: fix`",
        location: { file: "services/auth/main.go" },
      },
      {
        severity: "error",
        title: "gofmt",
        message:
          "File is not gofmt-formatted; run `gofmt -w services/auth/internal/x.go` or set `format: fix`",
        location: { file: "services/auth/internal/x.go" },
      },
    ]);
  });

  it.each<[string | undefined, string]>([
    [undefined, "main.go"],
    [".", "main.go"],
    ["./svc", "svc/main.go"],
  ])("baseDir %s", (baseDir, expected) => {
    expect(unformattedFindings(["main.go"], baseDir)[0]?.location).toEqual({ file: expected });
  });

  it("gives nothing for no files", () => {
    expect(unformattedFindings([])).toEqual([]);
  });
});
