import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { goTestResultToSuites, packageDirResolver, parseTestEvents } from "../../../src/rules/go/index.js";
import {
  escapeXmlAttribute,
  escapeXmlText,
  removeXmlForbidden,
  renderJUnitXml,
  type TestSuiteResult,
} from "../../../src/rules/report/index.js";

/**
 * A small XML 1.0 well-formedness check for what renderJUnitXml writes: balanced
 * elements, quoted attributes with only known entities, no raw `<`/`&`, no
 * characters XML 1.0 forbids. Returns the element names in document order.
 */
function checkWellFormed(xml: string): string[] {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+);/g;
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: string[] = [];
  const names: string[] = [];
  let index = 0;
  while (index < body.length) {
    token.lastIndex = index;
    const match = token.exec(body);
    if (!match) throw new Error(`not well-formed at ${index}: ${body.slice(index, index + 40)}`);
    index = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = match;
    const raw = text ?? attrs ?? "";
    if (raw.replace(entity, "").includes("&")) throw new Error(`raw & in ${raw}`);
    for (const char of raw) {
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd)
        throw new Error(`control char ${code}`);
    }
    if (text !== undefined || name === undefined) continue;
    if (closing) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
    } else {
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack.join(", ")}`);
  return names;
}

const suites: TestSuiteResult[] = [
  {
    name: "example.com/go-auth/internal/auth",
    durationMs: 1234,
    cases: [
      {
        suite: "example.com/go-auth/internal/auth",
        name: "TestOK",
        status: "passed",
        durationMs: 5,
        details: "log",
      },
      {
        suite: "example.com/go-auth/internal/auth",
        name: "TestRegisterConflict",
        status: "failed",
        durationMs: 12,
        message: "expected 200, got 409",
        details: "    auth_test.go:42: expected 200, got 409",
        location: { file: "internal/auth/auth_test.go", line: 42 },
      },
      {
        suite: "example.com/go-auth/internal/auth",
        name: "TestSkipped",
        status: "skipped",
        durationMs: 0,
        message: "needs a database",
      },
    ],
  },
  {
    name: "example.com/go-auth/internal/broken",
    durationMs: 0,
    cases: [],
    errors: ["build failed\ninternal/broken/broken.go:4:9: undefined: undefinedThing"],
  },
];

describe("renderJUnitXml", () => {
  it("renders the structure JUnit consumers read", () => {
    expect(renderJUnitXml(suites, { name: "go test" })).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="go test" tests="4" failures="1" errors="1" time="1.234">',
        '  <testsuite name="example.com/go-auth/internal/auth" tests="3" failures="1" errors="0" skipped="1" time="1.234">',
        '    <testcase name="TestOK" classname="example.com/go-auth/internal/auth" time="0.005"/>',
        '    <testcase name="TestRegisterConflict" classname="example.com/go-auth/internal/auth" time="0.012">',
        '      <failure message="expected 200, got 409" type="failure">at internal/auth/auth_test.go:42',
        "    auth_test.go:42: expected 200, got 409</failure>",
        "    </testcase>",
        '    <testcase name="TestSkipped" classname="example.com/go-auth/internal/auth" time="0.000">',
        '      <skipped message="needs a database"/>',
        "    </testcase>",
        "  </testsuite>",
        '  <testsuite name="example.com/go-auth/internal/broken" tests="1" failures="0" errors="1" skipped="0" time="0.000">',
        '    <testcase name="[suite error]" classname="example.com/go-auth/internal/broken" time="0.000">',
        '      <error message="build failed" type="error">build failed',
        "internal/broken/broken.go:4:9: undefined: undefinedThing</error>",
        "    </testcase>",
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });

  it("is deterministic and well-formed", () => {
    const xml = renderJUnitXml(suites, { name: "go test" });
    expect(renderJUnitXml(suites, { name: "go test" })).toBe(xml);
    expect(checkWellFormed(xml)).toEqual([
      "testsuites",
      "testsuite",
      "testcase",
      "testcase",
      "failure",
      "testcase",
      "skipped",
      "testsuite",
      "testcase",
      "error",
    ]);
  });

  it("adds system-out for passing and skipped cases when asked", () => {
    const xml = renderJUnitXml(suites, { name: "go test", includeOutput: true });
    expect(xml).toContain(
      '    <testcase name="TestOK" classname="example.com/go-auth/internal/auth" time="0.005">\n      <system-out>log</system-out>\n    </testcase>',
    );
    expect(checkWellFormed(xml)).toContain("system-out");
  });

  it("renders no suites", () => {
    expect(renderJUnitXml([], { name: "compose-test" })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="compose-test" tests="0" failures="0" errors="0" time="0.000">\n</testsuites>\n',
    );
  });

  it("numbers several errors of one suite; a failure without message or details still has a message", () => {
    const xml = renderJUnitXml(
      [
        {
          name: "s",
          durationMs: 0,
          cases: [{ suite: "s", name: "t", status: "failed", durationMs: 0 }],
          errors: ["one", "two"],
        },
      ],
      { name: "n" },
    );
    expect(xml).toContain('<testcase name="[suite error 1]"');
    expect(xml).toContain('<testcase name="[suite error 2]"');
    expect(xml).toContain('<failure message="failed" type="failure"></failure>');
    checkWellFormed(xml);
  });

  it("escapes names, messages and output, everywhere", () => {
    const nasty = "TestX/<a & b> \"q\" 's'\u0001\u001b[31mred\u001b[0m\ud800|tab\there\r\nline";
    const xml = renderJUnitXml(
      [
        {
          name: nasty,
          durationMs: 1,
          cases: [
            {
              suite: nasty,
              name: nasty,
              status: "failed",
              durationMs: 1,
              message: `${nasty}\nsecond line`,
              details: `${nasty}\n]]> & <![CDATA[`,
              location: { file: 'dir/"x".go', line: 1 },
            },
            { suite: nasty, name: "skip", status: "skipped", durationMs: 0, message: nasty },
          ],
          errors: [nasty],
        },
      ],
      { name: nasty, includeOutput: true },
    );
    checkWellFormed(xml);
    expect(xml).not.toContain("\u0001");
    expect(xml).not.toContain("\u001b");
    expect(xml).toContain(
      'name="TestX/&lt;a &amp; b&gt; &quot;q&quot; &apos;s&apos;\uFFFDred\uFFFD|tab&#9;here&#13;&#10;line"',
    );
    expect(xml).toContain(
      `type="failure">at dir/"x".go:1\nTestX/&lt;a &amp; b&gt; "q" 's'\uFFFDred\uFFFD|tab\there&#13;\nline\n]]&gt; &amp; &lt;![CDATA[</failure>`,
    );
  });
});

describe("XML escaping", () => {
  it.each<[string, string, string, string]>([
    ["plain", "abc", "abc", "abc"],
    ["markup", `<a href="x">&'`, '&lt;a href="x"&gt;&amp;\'', "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"],
    ["whitespace", "a\tb\nc\rd", "a\tb\nc&#13;d", "a&#9;b&#10;c&#13;d"],
    [
      "NUL and other C0 controls",
      "a\u0000b\u0008c\u000bd\u001fe",
      "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe",
      "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe",
    ],
    ["colour sequences dropped", "\u001b[1;31mFAIL\u001b[0m", "FAIL", "FAIL"],
    ["a lone ESC", "a\u001bb", "a\uFFFDb", "a\uFFFDb"],
    ["lone surrogates", "a\ud800b\udc00c", "a\uFFFDb\uFFFDc", "a\uFFFDb\uFFFDc"],
    ["U+FFFE and U+FFFF", "a\ufffeb\uffff", "a\uFFFDb\uFFFD", "a\uFFFDb\uFFFD"],
    ["astral characters kept", "ok 🚀 \ud83d\ude00", "ok 🚀 😀", "ok 🚀 😀"],
    ["non-ASCII kept", "ünïcødé ✅", "ünïcødé ✅", "ünïcødé ✅"],
  ])("%s", (_, input, text, attribute) => {
    expect(escapeXmlText(input)).toBe(text);
    expect(escapeXmlAttribute(input)).toBe(attribute);
  });

  it("an unterminated colour sequence at the end is dropped", () => {
    expect(removeXmlForbidden("x\u001b[31")).toBe("x");
  });
});

/**
 * Jenkins xUnit's junit-10.xsd (MIT, jenkinsci/xunit-plugin). It is not on the
 * npm registry or in Debian, and a copy fetched from GitHub may not be
 * committed here: it is read from ../shared/junit/junit-10.xsd beside the
 * checkout (or GOFLOW_JUNIT_XSD), and these cases wait for it there.
 */
const SCHEMA =
  process.env.GOFLOW_JUNIT_XSD ??
  fileURLToPath(new URL("../../../../shared/junit/junit-10.xsd", import.meta.url));

/** xmllint's verdict on `xml` against Jenkins xUnit's junit-10.xsd; throws with its words when invalid. */
function validateWithSchema(xml: string): void {
  const dir = mkdtempSync(join(tmpdir(), "junit-"));
  try {
    const file = join(dir, "report.xml");
    writeFileSync(file, xml);
    execFileSync("xmllint", ["--noout", "--schema", SCHEMA, file], { stdio: "pipe" });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`the report does not validate against junit-10.xsd:\n${stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function goSuites(...fixtures: string[]): TestSuiteResult[] {
  const text = fixtures.map((name) =>
    readFileSync(new URL(`../../fixtures/go/${name}`, import.meta.url), "utf8"),
  );
  const result = parseTestEvents(text.join("\n"));
  return goTestResultToSuites(result, { packageDir: packageDirResolver("example.com/go-auth") });
}

describe.skipIf(!existsSync(SCHEMA))("renderJUnitXml against Jenkins xUnit's junit-10.xsd (xmllint)", () => {
  it.each<[string, string[]]>([
    ["passing tests and a package without tests", ["go-test-pass.jsonl"]],
    ["failures, subtests and skips", ["go-test-fail.jsonl"]],
    ["build and vet failures", ["go-test-build-fail.jsonl"]],
    ["Go < 1.24 build failures", ["go-test-build-text.jsonl", "go-test-build-text.stderr.txt"]],
    ["panics and a timeout", ["go-test-panic.jsonl", "go-test-timeout.jsonl"]],
    ["a flaky test of -count=3", ["go-test-count.jsonl"]],
    ["reruns: flaky and still failing tests", ["go-test-rerun-1.jsonl", "go-test-rerun-2.jsonl"]],
    ["everything at once", ["go-test-all.jsonl"]],
  ])("go test: %s", (_name, fixtures) => {
    validateWithSchema(renderJUnitXml(goSuites(...fixtures), { name: "go test" }));
    validateWithSchema(renderJUnitXml(goSuites(...fixtures), { name: "go test", includeOutput: true }));
  });

  it("compose-test: passed, failed with a location, skipped, no suites", () => {
    const suites: TestSuiteResult[] = [
      {
        name: "tests/users.yml",
        durationMs: 3200,
        cases: [
          { suite: "tests/users.yml", name: "Register", status: "passed", durationMs: 12 },
          {
            suite: "tests/users.yml",
            name: "Register twice",
            status: "failed",
            durationMs: 8,
            message: "status: expected 201, got 409",
            details: "PUT http://127.0.0.1:49153/user\nstatus: expected 201, got 409",
            location: { file: "tests/users.yml", line: 17, column: 15 },
          },
          { suite: "tests/users.yml", name: "Later", status: "skipped", durationMs: 0, message: "not yet" },
        ],
      },
    ];
    validateWithSchema(renderJUnitXml(suites, { name: "compose-test" }));
    validateWithSchema(renderJUnitXml([], { name: "compose-test" }));
  });
});

describe("renderJUnitXml for reruns", () => {
  it("writes a flaky test's failed runs as Surefire's <flakyFailure>, a failed test's as <rerunFailure>", () => {
    const xml = renderJUnitXml(goSuites("go-test-rerun-1.jsonl", "go-test-rerun-2.jsonl"), {
      name: "go test",
    });
    expect(xml).toContain(
      [
        '    <testcase name="TestTable/needs_(marker)" classname="example.com/go-auth/flaky" time="0.000">',
        '      <flakyFailure message="marker missing" type="failure"><stackTrace>at flaky/flaky_test.go:24',
        "    flaky_test.go:24: marker missing</stackTrace></flakyFailure>",
        "    </testcase>",
      ].join("\n"),
    );
    expect(xml).toMatch(
      /<testcase name="TestAlwaysFails"[^>]*>\n {6}<failure message="broken for good"[^\n]*\n[^\n]*<\/failure>\n {6}<rerunFailure message="broken for good" type="failure">/,
    );
    // Flaky tests are neither failures nor hidden: counted in tests, not in failures.
    expect(xml).toContain('<testsuite name="example.com/go-auth/flaky" tests="5" failures="2" errors="0"');
  });
});
