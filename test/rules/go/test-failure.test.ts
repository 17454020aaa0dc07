import { describe, expect, it } from "vitest";
import {
  functionPackage,
  type GoTestFailure,
  type GoTestMessage,
  locateTestFailure,
  parseTestMessages,
  summarizeTestOutput,
} from "../../../src/rules/go/index.js";

const PKG = "example.com/go-auth/internal/auth";

const NIL_PANIC = "panic: runtime error: invalid memory address or nil pointer dereference";

/** A panic as Go 1.24 prints it inside a test, with the test's own frame. */
const PANIC = [
  "panic: runtime error: invalid memory address or nil pointer dereference [recovered]",
  "\tpanic: runtime error: invalid memory address or nil pointer dereference",
  "[signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x51f9b0]",
  "",
  "goroutine 19 [running]:",
  "testing.tRunner.func1.2({0x54fdc0, 0x6a0710})",
  "\t/usr/local/go/src/testing/testing.go:1734 +0x21c",
  "panic({0x54fdc0?, 0x6a0710?})",
  "\t/usr/local/go/src/runtime/panic.go:792 +0x132",
  "example.com/go-auth/internal/auth.(*Handler).Login(...)",
  "\t/src/internal/auth/handler.go:88",
  "example.com/go-auth/internal/auth.TestLogin(0xc0000a0700?)",
  "\t/src/internal/auth/handler_test.go:31 +0x10",
  "testing.tRunner(0xc0000a0700, 0x5842d0)",
  "\t/usr/local/go/src/testing/testing.go:1792 +0xf4",
  "created by testing.(*T).Run in goroutine 1",
  "\t/usr/local/go/src/testing/testing.go:1851 +0x413",
];

describe("parseTestMessages", () => {
  it.each<[string, string[], GoTestMessage[]]>([
    ["no output", [], []],
    [
      "one line",
      ["    auth_test.go:42: expected 200, got 409"],
      [{ file: "auth_test.go", line: 42, message: "expected 200, got 409" }],
    ],
    [
      "continuation lines lose testing's extra indentation, keep their own",
      ['    auth_test.go:57: Normalize("ABC") = "ABC"', '        want "abc"', "          indented more"],
      [{ file: "auth_test.go", line: 57, message: 'Normalize("ABC") = "ABC"\nwant "abc"\n  indented more' }],
    ],
    [
      "testify: empty first line, tab-indented body, blank continuation",
      [
        "    handler_test.go:42: ",
        "        \tError Trace:\t/src/handler_test.go:42",
        "        \tError:      \tNot equal: ",
        "        \t            \texpected: 200",
        "        ",
        "        \tTest:       \tTestLogin",
      ],
      [
        {
          file: "handler_test.go",
          line: 42,
          message:
            "\tError Trace:\t/src/handler_test.go:42\n\tError:      \tNot equal:\n\t            \texpected: 200\n\n\tTest:       \tTestLogin",
        },
      ],
    ],
    [
      "several messages, other output between",
      ["    a_test.go:1: first", "plain fmt.Println output", "    a_test.go:2: second"],
      [
        { file: "a_test.go", line: 1, message: "first" },
        { file: "a_test.go", line: 2, message: "second" },
      ],
    ],
    [
      "deeper header indentation (older Go subtests)",
      ["        sub_test.go:7: nested", "            more"],
      [{ file: "sub_test.go", line: 7, message: "nested\nmore" }],
    ],
    ["too little indentation is not testing's", ["  a_test.go:1: x", "a_test.go:1: y"], []],
    [
      "a non-test file (a helper package)",
      ["    helpers.go:12: from a helper"],
      [{ file: "helpers.go", line: 12, message: "from a helper" }],
    ],
  ])("%s", (_, lines, expected) => {
    expect(parseTestMessages(lines)).toEqual(expected);
  });
});

describe("locateTestFailure", () => {
  it.each<[string, string[], string, GoTestFailure | undefined]>([
    ["no output", [], PKG, undefined],
    ["output without a location", ["something went wrong"], PKG, undefined],
    [
      "the last message: logs come before the assertion, Fatal ends the test",
      ["    auth_test.go:12: registering user", "    auth_test.go:42: expected 200, got 409"],
      PKG,
      { kind: "assertion", file: "auth_test.go", line: 42, message: "expected 200, got 409" },
    ],
    [
      "a panic: the first frame in the package (the panic site)",
      PANIC,
      PKG,
      {
        kind: "panic",
        file: "handler.go",
        line: 88,
        message: NIL_PANIC,
      },
    ],
    [
      "a panic counts frames of the external _test package",
      PANIC.map((line) =>
        line.replace("auth.(*Handler).Login", "other.Login").replace("auth.TestLogin", "auth_test.TestLogin"),
      ),
      PKG,
      {
        kind: "panic",
        file: "handler_test.go",
        line: 31,
        message: NIL_PANIC,
      },
    ],
    ["a panic with no frame in the package is not located", PANIC, "example.com/elsewhere", undefined],
    [
      "a panic wins over earlier log lines",
      ["    auth_test.go:5: starting", ...PANIC],
      PKG,
      { kind: "panic", file: "handler.go", line: 88, message: NIL_PANIC },
    ],
    [
      "trimpath frames",
      [
        "panic: boom",
        "",
        "goroutine 1 [running]:",
        "example.com/go-auth/internal/auth.TestX(0x1)",
        "\texample.com/go-auth/internal/auth/x_test.go:9 +0x1",
      ],
      PKG,
      { kind: "panic", file: "x_test.go", line: 9, message: "panic: boom" },
    ],
    [
      "Go 1.25's repanicked suffix is dropped",
      [
        "panic: boom [recovered, repanicked]",
        "example.com/go-auth/internal/auth.TestX(0x1)",
        "\t/src/x_test.go:9 +0x1",
      ],
      PKG,
      { kind: "panic", file: "x_test.go", line: 9, message: "panic: boom" },
    ],
  ])("%s", (_, lines, pkg, expected) => {
    expect(locateTestFailure(lines, pkg)).toEqual(expected);
  });
});

describe("functionPackage", () => {
  it.each<[string, string]>([
    ["example.com/go-auth/internal/crash.Load(...)", "example.com/go-auth/internal/crash"],
    ["example.com/go-auth/internal/auth.(*Handler).Login(0xc000)", "example.com/go-auth/internal/auth"],
    ["example.com/go-auth.TestMain(0x1)", "example.com/go-auth"],
    [
      "example.com/go-auth/internal/extpkg_test.TestPanicSub.func1(0xc0000a08c0?)",
      "example.com/go-auth/internal/extpkg_test",
    ],
    ["testing.(*T).Run(0xc000080700, {0x577b3d?, 0xc000094b30?}, 0x5842c0)", "testing"],
    ["testing.tRunner.func1.2({0x54fdc0, 0x6a0710})", "testing"],
    ["main.main()", "main"],
    ["example.com/x.Map[example.com/y/z.T](...)", "example.com/x"],
    ["gopkg.in/yaml%2ev3.Unmarshal(...)", "gopkg.in/yaml%2ev3"],
  ])("%s → %s", (call, expected) => {
    expect(functionPackage(call)).toBe(expected);
  });
});

describe("summarizeTestOutput", () => {
  it.each<[string, string[], string]>([
    ["nothing", [], ""],
    [
      "the panic line",
      ["    a_test.go:1: log", ...PANIC],
      "panic: runtime error: invalid memory address or nil pointer dereference",
    ],
    ["the last message", ["    a_test.go:1: one", "    a_test.go:2: two"], "two"],
    [
      "the last lines, without go test's result lines",
      [
        "setup: connecting",
        "setup: db unreachable",
        "FAIL",
        "FAIL\texample.com/x\t0.01s",
        "ok  \texample.com/y\t0.01s",
        "",
      ],
      "setup: connecting\nsetup: db unreachable",
    ],
  ])("%s", (_, lines, expected) => {
    expect(summarizeTestOutput(lines)).toBe(expected);
  });

  it("keeps at most maxLines", () => {
    expect(summarizeTestOutput(["1", "2", "3", "4"], 2)).toBe("3\n4");
  });
});
