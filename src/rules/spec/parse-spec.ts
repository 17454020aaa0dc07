import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { SourceLocation } from "../../errors.js";
import { suggestClosestKey } from "./closest-key.js";
import { listExpectationTemplates, listRequestTemplates, parseTemplate } from "./interpolation.js";
import { expectSuccess, readCaptures, readExpectation, readStatus } from "./parse-expectation.js";
import {
  type RequestContext,
  readCurlRequest,
  readDurationValue,
  readPositiveDuration,
  readRequest,
} from "./parse-request.js";
import { splitShellWords } from "./shell-words.js";
import type {
  HttpRequestSpec,
  RetryPolicy,
  ServiceTarget,
  Spec,
  SpecStep,
  SpecTest,
  WaitSpec,
} from "./spec.js";
import {
  describeNode,
  type MappingEntry,
  readScalarText,
  SpecError,
  SpecReader,
  type YamlNode,
} from "./spec-reader.js";
import { parseServiceTarget } from "./target.js";

export const SPEC_KEYS = ["name", "target", "wait", "setup", "teardown", "tests"] as const;
export const TEST_KEYS = [
  "name",
  "target",
  "request",
  "curl",
  "expect",
  "capture",
  "retry",
  "skip",
  "continue-on-error",
] as const;
export const WAIT_KEYS = ["request", "status", "timeout", "interval"] as const;
export const RETRY_KEYS = ["count", "interval"] as const;
const STEP_KEYS = ["exec"] as const;
export const EXEC_KEYS = ["service", "command"] as const;
const SERVICE_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export const DEFAULT_RETRY_INTERVAL_MS = 1_000;

/**
 * Reads a compose-test spec from its text. `file` is only used in messages
 * and locations. Every mistake in the file is collected and thrown as one
 * `SpecError` (a ConfigurationError located at the first).
 */
export function parseSpec(text: string, file: string): Spec {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const reader = new SpecReader(file, lineCounter, document);
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const position = error.linePos?.[0];
      reader.report(
        `YAML syntax error: ${describeYamlError(error.message)}`,
        position === undefined
          ? reader.locateOffset(error.pos[0])
          : { file, line: position.line, column: position.col },
      );
    }
    throw new SpecError(reader.problems);
  }
  const spec = readSpec(reader, document.contents);
  if (reader.problems.length > 0 || spec === undefined) {
    // Problems are found section by section; list them in file order so the first is the topmost.
    const problems = [...reader.problems].sort(
      (a, b) =>
        (a.location.line ?? 0) - (b.location.line ?? 0) ||
        (a.location.column ?? 0) - (b.location.column ?? 0),
    );
    throw new SpecError(problems.length > 0 ? problems : [{ message: "invalid spec", location: { file } }]);
  }
  return spec;
}

/** yaml's messages end with ` at line L, column C:` and a code excerpt; the location is reported separately. */
function describeYamlError(message: string): string {
  const firstLine = message.split("\n")[0] ?? message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, "");
}

function readSpec(reader: SpecReader, contents: YamlNode | null): Spec | undefined {
  const start: SourceLocation = { file: reader.file, line: 1, column: 1 };
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return reader.report(
      "the spec is empty; it needs `tests:`, a list of requests and their expected responses",
      start,
    );
  }
  const mapping = reader.readMapping(contents, undefined, reader.locate(contents), SPEC_KEYS);
  if (mapping === undefined) return undefined;

  const nameEntry = mapping.get("name");
  const name = nameEntry === undefined ? undefined : reader.readText(nameEntry, "name");
  const targetEntry = mapping.get("target");
  const target = targetEntry === undefined ? undefined : readTarget(reader, targetEntry, "target");
  const waitEntry = mapping.get("wait");
  // An invalid default target is reported once; requests that needed it then stay quiet.
  const defaults: TargetDefaults = { target, invalid: targetEntry !== undefined && target === undefined };
  const wait = waitEntry === undefined ? undefined : readWait(reader, waitEntry, defaults);
  const setupEntry = mapping.get("setup");
  const setup = setupEntry === undefined ? [] : readSteps(reader, setupEntry, "setup");
  const teardownEntry = mapping.get("teardown");
  const teardown = teardownEntry === undefined ? [] : readSteps(reader, teardownEntry, "teardown");

  const testsEntry = mapping.get("tests");
  if (testsEntry === undefined) {
    // A misspelt `tests` key has been reported with a suggestion already.
    if (isMap(contents) && contents.items.some((pair) => isMisspeltTestsKey(pair.key))) return undefined;
    return reader.report(
      "the spec has no `tests:`; add a list of tests, each with a name, a request and what to expect",
      reader.locate(contents),
    );
  }
  const tests = readTests(reader, testsEntry, defaults);
  if (tests === undefined) return undefined;
  return { file: reader.file, name, target, wait, setup, teardown, tests };
}

function readTarget(reader: SpecReader, entry: MappingEntry, field: string): ServiceTarget | undefined {
  const text = reader.readText(entry, field);
  if (text === undefined) return undefined;
  return reader.attempt(field, entry.location, () => parseServiceTarget(text, entry.location));
}

interface TargetDefaults {
  target: ServiceTarget | undefined;
  /** `target:` was written but is invalid. */
  invalid: boolean;
}

function isMisspeltTestsKey(key: unknown): boolean {
  if (!isScalar(key) || typeof key.value !== "string" || key.value === "tests") return false;
  return suggestClosestKey(key.value, SPEC_KEYS) === "tests";
}

function readWait(reader: SpecReader, entry: MappingEntry, defaults: TargetDefaults): WaitSpec | undefined {
  const mapping = reader.readMapping(entry.value, "wait", entry.location, WAIT_KEYS);
  if (mapping === undefined) return undefined;
  const context: RequestContext = {
    testTarget: undefined,
    defaultTarget: defaults.target,
    label: "wait",
    targetInvalid: defaults.invalid,
  };
  const requestEntry = mapping.get("request");
  if (requestEntry === undefined) {
    return reader.report('`wait` needs a `request`, like request: "GET /health"', entry.location);
  }
  const request = readRequest(reader, requestEntry, "wait.request", context);
  if (request !== undefined) checkTemplates(reader, requestTemplates(request), new Set());
  const statusEntry = mapping.get("status");
  const status =
    statusEntry === undefined
      ? { codes: [], classes: [2], location: requestEntry.location }
      : readStatus(reader, statusEntry, "wait.status");
  const timeoutEntry = mapping.get("timeout");
  // Unset stays unset: the runner's wait-timeout input and its own poll interval apply then.
  const timeoutMs =
    timeoutEntry === undefined ? undefined : readPositiveDuration(reader, timeoutEntry, "wait.timeout");
  const intervalEntry = mapping.get("interval");
  const intervalMs =
    intervalEntry === undefined ? undefined : readPositiveDuration(reader, intervalEntry, "wait.interval");
  if (
    request === undefined ||
    status === undefined ||
    (timeoutEntry !== undefined && timeoutMs === undefined) ||
    (intervalEntry !== undefined && intervalMs === undefined)
  ) {
    return undefined;
  }
  return { request, status, timeoutMs, intervalMs, location: entry.location };
}

function readSteps(reader: SpecReader, entry: MappingEntry, field: string): SpecStep[] {
  const items = reader.readSequence(entry, field);
  const steps: SpecStep[] = [];
  for (const [index, item] of (items ?? []).entries()) {
    const stepField = `${field}[${index}]`;
    const mapping = reader.readMapping(item.value, stepField, item.location, STEP_KEYS);
    const exec = mapping?.get("exec");
    if (mapping === undefined) continue;
    if (exec === undefined) {
      reader.report(`\`${stepField}\` needs \`exec: { service, command }\``, item.location);
      continue;
    }
    const execMapping = reader.readMapping(exec.value, `${stepField}.exec`, exec.location, EXEC_KEYS);
    if (execMapping === undefined) continue;
    const serviceEntry = execMapping.get("service");
    const commandEntry = execMapping.get("command");
    if (serviceEntry === undefined || commandEntry === undefined) {
      reader.report(
        `\`${stepField}.exec\` needs both \`service\` (a compose service) and \`command\` (a list of arguments)`,
        exec.location,
      );
      continue;
    }
    const service = reader.readText(serviceEntry, `${stepField}.exec.service`);
    if (service !== undefined && !SERVICE_PATTERN.test(service)) {
      reader.report(
        `\`${stepField}.exec.service\`: '${service}' is not a compose service name`,
        serviceEntry.location,
      );
      continue;
    }
    const command = readCommand(reader, commandEntry, `${stepField}.exec.command`);
    if (service !== undefined && command !== undefined) {
      steps.push({ kind: "exec", service, command, location: serviceEntry.location });
    }
  }
  return steps;
}

/** A list of arguments, or one string split with shell quoting (no shell runs it). */
function readCommand(reader: SpecReader, entry: MappingEntry, field: string): string[] | undefined {
  let command: string[] | undefined;
  if (entry.value !== null && isSeq(entry.value)) {
    const items = reader.readSequence(entry, field);
    const words = (items ?? []).map((item) => reader.readText(item, field));
    if (words.some((word) => word === undefined)) return undefined;
    command = words.filter((word) => word !== undefined);
  } else {
    const text = reader.readText(entry, field);
    if (text === undefined) return undefined;
    try {
      command = splitShellWords(text);
    } catch (error) {
      return reader.report(`\`${field}\`: ${(error as Error).message}`, entry.location);
    }
  }
  if (command.length === 0)
    return reader.report(`\`${field}\` is empty; give the program and its arguments`, entry.location);
  return command;
}

function readTests(
  reader: SpecReader,
  entry: MappingEntry,
  defaults: TargetDefaults,
): SpecTest[] | undefined {
  const items = reader.readSequence(entry, "tests");
  if (items === undefined) return undefined;
  if (items.length === 0) {
    return reader.report(
      "`tests` is empty; a spec with no tests would pass without checking anything",
      entry.location,
    );
  }
  const tests: SpecTest[] = [];
  const names = new Map<string, SourceLocation>();
  // Variables that earlier tests capture, so a `${{ name }}` nobody captures is caught before anything runs.
  const captured = new Set<string>();
  for (const [index, item] of items.entries()) {
    const test = readTest(reader, item, index, defaults, names, captured);
    if (test !== undefined) tests.push(test);
  }
  return tests;
}

function readTest(
  reader: SpecReader,
  item: { value: YamlNode | null; location: SourceLocation },
  index: number,
  defaults: TargetDefaults,
  names: Map<string, SourceLocation>,
  captured: Set<string>,
): SpecTest | undefined {
  const anonymous = reader.within(`test #${index + 1}`);
  if (item.value === null || !isMap(item.value)) {
    return anonymous.report(
      `a test must be a mapping with name, request and expect; got ${describeNode(item.value)}`,
      item.location,
    );
  }
  const mapping = anonymous.readMapping(item.value, undefined, item.location, undefined);
  if (mapping === undefined) return undefined;
  const nameEntry = mapping.get("name");
  const name = nameEntry === undefined ? undefined : anonymous.readText(nameEntry, "name");
  const scoped = name === undefined || name.trim() === "" ? anonymous : reader.within(`test "${name}"`);
  checkKeys(scoped, mapping);
  if (nameEntry === undefined) scoped.report("a test needs a `name`", item.location);
  else if (name !== undefined && name.trim() === "")
    scoped.report("`name` must not be empty", nameEntry.location);
  else if (name !== undefined && nameEntry !== undefined) {
    const earlier = names.get(name);
    if (earlier !== undefined) {
      scoped.report(
        `another test (line ${earlier.line}) has the same name; names must be unique in a file`,
        nameEntry.location,
      );
    } else {
      names.set(name, nameEntry.location);
    }
  }
  const label = name === undefined ? `test #${index + 1}` : `test "${name}"`;
  const problemsBefore = reader.problems.length;

  const targetEntry = mapping.get("target");
  const testTarget = targetEntry === undefined ? undefined : readTarget(scoped, targetEntry, "target");
  const context: RequestContext = {
    testTarget,
    defaultTarget: defaults.target,
    label,
    targetInvalid: defaults.invalid || (targetEntry !== undefined && testTarget === undefined),
  };
  const requestEntry = mapping.get("request");
  const curlEntry = mapping.get("curl");
  let request: HttpRequestSpec | undefined;
  if (requestEntry !== undefined && curlEntry !== undefined) {
    scoped.report("give either `request` or `curl`, not both", curlEntry.keyLocation);
  } else if (requestEntry !== undefined) {
    request = readRequest(scoped, requestEntry, "request", context);
  } else if (curlEntry !== undefined) {
    request = readCurlRequest(scoped, curlEntry, context);
  } else {
    scoped.report("a test needs a `request` (or a `curl` command) to send", item.location);
  }
  if (request !== undefined) checkTemplates(scoped, requestTemplates(request), captured);

  const expectEntry = mapping.get("expect");
  const expect =
    expectEntry === undefined ? expectSuccess(item.location) : readExpectation(scoped, expectEntry);
  // Before this test's own captures: they are taken from the response after the expectation held.
  if (expect !== undefined) checkTemplates(scoped, listExpectationTemplates(expect), captured);
  const captureEntry = mapping.get("capture");
  const capture = captureEntry === undefined ? [] : readCaptures(scoped, captureEntry);
  for (const spec of capture ?? []) captured.add(spec.variable);
  const retryEntry = mapping.get("retry");
  const retry = retryEntry === undefined ? undefined : readRetry(scoped, retryEntry);
  const skipEntry = mapping.get("skip");
  const skip = skipEntry === undefined ? undefined : readSkip(scoped, skipEntry);
  const continueEntry = mapping.get("continue-on-error");
  const continueOnError =
    continueEntry === undefined ? false : scoped.readBoolean(continueEntry, "continue-on-error");

  if (
    reader.problems.length > problemsBefore ||
    name === undefined ||
    request === undefined ||
    expect === undefined ||
    capture === undefined ||
    continueOnError === undefined
  ) {
    return undefined;
  }
  return {
    name,
    request,
    expect,
    capture,
    retry,
    skip: skip === false ? undefined : skip,
    continueOnError,
    location: item.location,
  };
}

function checkKeys(reader: SpecReader, mapping: Map<string, MappingEntry>): void {
  for (const entry of mapping.values()) {
    if ((TEST_KEYS as readonly string[]).includes(entry.key)) continue;
    const suggestion = suggestClosestKey(entry.key, TEST_KEYS);
    const hint = suggestion === undefined ? "" : ` (did you mean \`${suggestion}\`?)`;
    reader.report(
      `unknown key in a test: \`${entry.key}\`${hint}; allowed keys: ${TEST_KEYS.join(", ")}`,
      entry.keyLocation,
    );
    mapping.delete(entry.key);
  }
}

/** A request's template texts, all at the request's location. */
function requestTemplates(request: HttpRequestSpec): { text: string; location: SourceLocation }[] {
  return listRequestTemplates(request).map((text) => ({ text, location: request.location }));
}

/** `${{ name }}` must name a variable an earlier test captures; env variables are checked before the run starts. */
function checkTemplates(
  reader: SpecReader,
  texts: readonly { text: string; location: SourceLocation }[],
  captured: ReadonlySet<string>,
): void {
  for (const { text, location } of texts) {
    let parts: ReturnType<typeof parseTemplate>;
    try {
      parts = parseTemplate(text);
    } catch (error) {
      reader.report((error as Error).message, location);
      continue;
    }
    for (const part of parts) {
      if (part.kind !== "variable" || captured.has(part.name)) continue;
      const suggestion = suggestClosestKey(part.name, [...captured]);
      const hint = suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`;
      const known =
        captured.size === 0
          ? "no earlier test captures anything"
          : `captured before this test: ${[...captured].join(", ")}`;
      reader.report(`\${{ ${part.name} }} is not captured by an earlier test${hint}; ${known}`, location);
    }
  }
}

function readRetry(reader: SpecReader, entry: MappingEntry): RetryPolicy | undefined {
  if (entry.value !== null && isScalar(entry.value)) {
    const retries = reader.readInteger(entry, "retry", 0);
    return retries === undefined
      ? undefined
      : { retries, intervalMs: DEFAULT_RETRY_INTERVAL_MS, location: entry.location };
  }
  const mapping = reader.readMapping(entry.value, "retry", entry.location, RETRY_KEYS);
  if (mapping === undefined) return undefined;
  const countEntry = mapping.get("count");
  if (countEntry === undefined) {
    return reader.report(
      "`retry` needs a `count`: how many times to retry after the first attempt",
      entry.location,
    );
  }
  const retries = reader.readInteger(countEntry, "retry.count", 0);
  const intervalEntry = mapping.get("interval");
  const intervalMs =
    intervalEntry === undefined
      ? DEFAULT_RETRY_INTERVAL_MS
      : readDurationValue(reader, intervalEntry, "retry.interval");
  if (retries === undefined || intervalMs === undefined) return undefined;
  return { retries, intervalMs, location: entry.location };
}

function readSkip(
  reader: SpecReader,
  entry: MappingEntry,
): { reason: string | undefined } | false | undefined {
  const value = entry.value !== null && isScalar(entry.value) ? entry.value.value : undefined;
  if (value === true) return { reason: undefined };
  if (value === false) return false;
  const reason = readScalarText(entry.value);
  if (typeof value !== "string" || reason === undefined) {
    return reader.report(
      `\`skip\` must be true, false or the reason to skip; got ${describeNode(entry.value)}`,
      entry.location,
    );
  }
  return { reason: reason.trim() === "" ? undefined : reason };
}
