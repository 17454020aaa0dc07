import { describe, expect, it } from "vitest";
import { parseCompilerOutput } from "../../../src/rules/go/index.js";
import type { Finding } from "../../../src/rules/report/index.js";
import { goFixture } from "./fixtures.js";

function at(
  file: string,
  line: number,
  column: number | undefined,
  message: string,
  title = "go build",
): Finding {
  const location = column === undefined ? { file, line } : { file, line, column };
  return { severity: "error", title, message, location };
}

describe("parseCompilerOutput", () => {
  it.each<[string, string, Finding[]]>([
    ["empty output", "", []],
    ["./ prefix stripped", "./main.go:12:5: undefined: foo", [at("main.go", 12, 5, "undefined: foo")]],
    ["no ./ prefix", "main.go:12:5: undefined: foo", [at("main.go", 12, 5, "undefined: foo")]],
    ["no column", "path/to/file.go:12: message", [at("path/to/file.go", 12, undefined, "message")]],
    [
      "# pkg header skipped, vet: prefix read",
      "# example.com/app\n# [example.com/app]\nvet: ./x.go:10:2: unreachable code",
      [at("x.go", 10, 2, "unreachable code")],
    ],
    [
      "CRLF",
      "# example.com/app\r\n./a.go:1:2: one\r\n./b.go:3:4: two\r\n",
      [at("a.go", 1, 2, "one"), at("b.go", 3, 4, "two")],
    ],
    [
      "tab-indented continuation lines join the message",
      "./store.go:20:9: cannot use s (variable of type *memStore) as Store value in return statement: *memStore does not implement Store (missing method Ping)\n\thave ping() error\n\twant Ping(context.Context) error\n./other.go:1:1: next",
      [
        at(
          "store.go",
          20,
          9,
          "cannot use s (variable of type *memStore) as Store value in return statement: *memStore does not implement Store (missing method Ping)\nhave ping() error\nwant Ping(context.Context) error",
        ),
        at("other.go", 1, 1, "next"),
      ],
    ],
    [
      "too many errors and other text skipped",
      "go: downloading example.com/x v1.0.0\n./a.go:1:1: x\ntoo many errors",
      [at("a.go", 1, 1, "x")],
    ],
    [
      "a message holding another location stays one finding",
      "./a.go:3:2: x redeclared in this block\n\t./a.go:2:2: other declaration of x",
      [at("a.go", 3, 2, "x redeclared in this block\n./a.go:2:2: other declaration of x")],
    ],
    ["duplicates dropped", "./a.go:1:2: x\n./a.go:1:2: x\nvet: ./a.go:1:2: x", [at("a.go", 1, 2, "x")]],
    ["a non-.go file is not a location", "Makefile:3: missing separator", []],
  ])("%s", (_, text, expected) => {
    expect(parseCompilerOutput(text)).toEqual(expected);
  });

  it.each<[string, string | undefined, string]>([
    ["./main.go", "services/auth", "services/auth/main.go"],
    ["internal/x.go", "services/auth/", "services/auth/internal/x.go"],
    ["../shared/y.go", "services/auth", "services/shared/y.go"],
    ["./main.go", ".", "main.go"],
    ["./main.go", "", "main.go"],
    ["/abs/path/main.go", "services/auth", "/abs/path/main.go"],
  ])("%s with baseDir %s → %s", (file, baseDir, expected) => {
    expect(parseCompilerOutput(`${file}:1:1: x`, { baseDir })[0]?.location?.file).toBe(expected);
  });

  it("takes a title", () => {
    expect(parseCompilerOutput("./a.go:1:1: x", { title: "go vet" })[0]?.title).toBe("go vet");
  });

  it("reads real go vet output, dropping the repeated type error", () => {
    expect(parseCompilerOutput(goFixture("go-vet.txt"), { baseDir: "svc" })).toEqual([
      at("svc/internal/broken/broken.go", 4, 9, "undefined: undefinedThing"),
      at("svc/internal/vetbad/vetbad.go", 6, 9, 'fmt.Sprintf format %d has arg "str" of wrong type string'),
      at("svc/internal/vetbad/vetbad.go", 10, 2, "fmt.Printf format %s reads arg #1, but call has 0 args"),
    ]);
  });

  it("reads real go vet output run in a sub-directory", () => {
    expect(
      parseCompilerOutput(goFixture("go-vet-subdir.txt"), { baseDir: "internal" }).map((f) => f.location),
    ).toEqual([
      { file: "internal/vetbad/vetbad.go", line: 6, column: 9 },
      { file: "internal/vetbad/vetbad.go", line: 10, column: 2 },
    ]);
  });

  it("reads real go build output", () => {
    expect(parseCompilerOutput(goFixture("go-build.txt"))).toEqual([
      at("internal/broken/broken.go", 4, 9, "undefined: undefinedThing"),
    ]);
  });
});
