import { join, relative, resolve } from "node:path";
import { ConfigurationError } from "../errors.js";
import {
  type ExternalNetworkPolicy,
  parseEnvLines,
  parseServiceImageLines,
  parseShard,
  type Shard,
} from "../rules/compose/index.js";
import { parseDuration } from "../rules/spec/duration.js";
import { createInputReader } from "./input-reader.js";
import type { InputSource } from "./input-source.js";
import { type Machine, type OptionSources, stageInputs } from "./option-sources.js";

/** The compose-test stage's options, validated once, from action inputs or CLI flags. */
export interface ComposeTestOptions {
  /** Absolute; compose files and spec patterns are relative to it. */
  workingDirectory: string;
  /** Absolute paths of existing files, in `-f` order. */
  composeFiles: string[];
  /** Glob patterns of spec files, relative to the working directory (`!` excludes). */
  tests: string[];
  /** Service → image to run instead of what the compose file says. */
  images: Record<string, string>;
  /** Variables for `${VAR}` in the compose files (and `${{ env.NAME }}` in specs). */
  env: Record<string, string>;
  /** How many spec files (each its own environment) run at once. */
  parallel: number;
  shard: Shard | undefined;
  /** Rewrite the compose model so runs cannot collide (ephemeral ports, run labels). */
  isolate: boolean;
  /** How long an environment may take to become ready, unless its spec's `wait.timeout` says otherwise. */
  waitTimeoutMs: number;
  /** Absolute path of the JUnit XML file; undefined writes it under the temp folder. */
  junitReport: string | undefined;
  /** Absolute folder for the compose logs of failed environments; undefined uses the temp folder. */
  logsDir: string | undefined;
  keepOnFailure: boolean;
  /** Seconds an environment's containers get to stop after SIGTERM; 0 (the default) kills them at once. */
  stopTimeoutSeconds: number;
  /** What an external network in the compose model is: a warning in the summary, or an error. */
  externalNetworks: ExternalNetworkPolicy;
}

export const DEFAULT_COMPOSE_FILE = "docker-compose.yml";
/** Compose's other default names, tried in this order when the default file is missing. */
export const COMPOSE_FILE_ALTERNATIVES = ["compose.yaml", "compose.yml", "docker-compose.yaml"] as const;
export const DEFAULT_TESTS_PATTERN = "tests/*.yml";
export const DEFAULT_WAIT_TIMEOUT_MS = 60_000;

/** The options as text, the way action inputs and CLI flags give them. */
export interface RawComposeTestInputs {
  workingDirectory: string;
  composeFiles: string[];
  tests: string[];
  images: string;
  env: string;
  parallel: string;
  shard: string;
  isolate: boolean;
  waitTimeout: string;
  junitReport: string;
  logsDir: string;
  keepOnFailure: boolean;
  stopTimeout: string;
  externalNetworks: string;
}

/**
 * Validates raw inputs into options. `workspace` anchors working-directory,
 * junit-report and logs-dir (as other actions' paths are); compose files and
 * spec patterns are relative to the working directory.
 */
export function buildComposeTestOptions(
  raw: RawComposeTestInputs,
  workspace: string,
  machine: Machine,
): ComposeTestOptions {
  const workingDirectory = resolve(workspace, raw.workingDirectory || ".");
  if (!machine.isDirectory(workingDirectory)) {
    throw new ConfigurationError(
      `working-directory '${raw.workingDirectory}' is not a folder (resolved to ${workingDirectory})`,
    );
  }
  return {
    workingDirectory,
    composeFiles: resolveComposeFiles(workingDirectory, raw.composeFiles, machine),
    tests: raw.tests.length > 0 ? raw.tests : [DEFAULT_TESTS_PATTERN],
    images: parseServiceImageLines(raw.images, "images"),
    env: parseEnvLines(raw.env, "env"),
    parallel: parseParallel(raw.parallel, machine.cpus),
    shard: raw.shard.trim() === "" ? undefined : parseShard(raw.shard),
    isolate: raw.isolate,
    waitTimeoutMs: parseWaitTimeout(raw.waitTimeout),
    junitReport: raw.junitReport ? resolve(workspace, raw.junitReport) : undefined,
    logsDir: raw.logsDir ? resolve(workspace, raw.logsDir) : undefined,
    keepOnFailure: raw.keepOnFailure,
    stopTimeoutSeconds: parseStopTimeout(raw.stopTimeout),
    externalNetworks: parseExternalNetworks(raw.externalNetworks),
  };
}

/** Whole seconds (`10`) or a duration (`10s`, `1m`); empty means 0: kill at once. */
export function parseStopTimeout(text: string): number {
  const value = text.trim();
  if (value === "") return 0;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch {
    ms = Number.NaN;
  }
  if (!(ms >= 0) || ms > 10 * 60_000) {
    throw new ConfigurationError(
      `stop-timeout is '${text}'; give the seconds services get to stop after SIGTERM (e.g. 10 or 10s, at most 10m), or 0 to kill them at once (the default)`,
    );
  }
  return Math.ceil(ms / 1000);
}

/** `warn` (the default) or `error`. */
export function parseExternalNetworks(text: string): ExternalNetworkPolicy {
  const value = text.trim().toLowerCase();
  if (value === "" || value === "warn") return "warn";
  if (value === "error") return "error";
  throw new ConfigurationError(`external-networks is '${text}'; use warn (the default) or error`);
}

/**
 * Absolute paths of the compose files, each of which must exist. Only the
 * default name falls back to compose's other names, so a file the user named
 * is never silently replaced by another.
 */
export function resolveComposeFiles(
  workingDirectory: string,
  given: readonly string[],
  machine: Pick<Machine, "isFile">,
): string[] {
  const isFile = (path: string) => machine.isFile(path);
  const names = given.length > 0 ? given : [DEFAULT_COMPOSE_FILE];
  if (names.length === 1 && names[0] === DEFAULT_COMPOSE_FILE && !isFile(join(workingDirectory, names[0]))) {
    const alternative = COMPOSE_FILE_ALTERNATIVES.find((name) => isFile(join(workingDirectory, name)));
    if (alternative) return [join(workingDirectory, alternative)];
  }
  return names.map((name) => {
    const path = resolve(workingDirectory, name);
    if (!isFile(path)) {
      const where = relative(workingDirectory, path) || path;
      throw new ConfigurationError(
        `compose file '${where}' does not exist in ${workingDirectory}; set compose-file (relative to working-directory)${names.length === 1 && name === DEFAULT_COMPOSE_FILE ? ` or add ${DEFAULT_COMPOSE_FILE} or compose.yaml` : ""}`,
      );
    }
    return path;
  });
}

/** Empty means one spec file per CPU. */
export function parseParallel(text: string, cpus: number): number {
  const value = text.trim();
  if (value === "") return Math.max(1, cpus);
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new ConfigurationError(
      `parallel is '${text}'; give how many spec files may run at once (a whole number >= 1), or leave it empty for one per CPU`,
    );
  }
  return Number(value);
}

/** `60s`, `2m`, `1m30s`, `500ms`, or a number of seconds. */
export function parseWaitTimeout(text: string): number {
  if (text.trim() === "") return DEFAULT_WAIT_TIMEOUT_MS;
  let ms: number;
  try {
    ms = parseDuration(text.trim());
  } catch (error) {
    throw new ConfigurationError(`wait-timeout: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (ms < 1000) throw new ConfigurationError(`wait-timeout is '${text}'; give at least 1s`);
  return ms;
}

/** compose-test's options from its inputs. */
export function readComposeTestOptions(
  sources: OptionSources,
  door: InputSource = sources.door,
): ComposeTestOptions {
  const read = createInputReader(stageInputs(sources, "compose-test", door));
  return buildComposeTestOptions(
    {
      workingDirectory: read.string("working-directory"),
      composeFiles: read.list("compose-file"),
      tests: read.list("tests"),
      images: read.string("images"),
      env: read.string("env"),
      parallel: read.string("parallel"),
      shard: read.string("shard"),
      isolate: read.boolean("isolate", true),
      waitTimeout: read.string("wait-timeout"),
      junitReport: read.string("junit-report"),
      logsDir: read.string("logs-dir"),
      keepOnFailure: read.boolean("keep-on-failure", false),
      stopTimeout: read.string("stop-timeout"),
      externalNetworks: read.string("external-networks"),
    },
    sources.workspace,
    sources.machine,
  );
}
