import { ConfigurationError } from "../../errors.js";
import { DEFAULT_TESTS_PATTERN, readComposeTestOptions } from "../../options/compose-test.js";
import type { FlagValues } from "../../options/input-source.js";
import type { Finding } from "../../rules/report/finding.js";
import { cancelOnSignals } from "../../runtime/cancellation.js";
import { Docker } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import { MemoryState } from "../../runtime/state.js";
import { colours } from "../../runtime/terminal-reporter.js";
import { formatCounts } from "../../stages/compose-test/results.js";
import { cleanUpComposeTest, runComposeTestStage } from "../../stages/compose-test/stage.js";
import { booleanFlag, type Command, exitCodeOf, listFlag, type ParsedArgs, stringFlag } from "../command.js";
import { buildLocalRunContext, createPrivateTempDir } from "../local-context.js";
import { readCliOptionSources } from "../option-sources.js";
import { splitList } from "./tags.js";

export const testCommand: Command = {
  name: "test",
  summary: "run the compose-test spec files against fresh compose environments",
  help: `goflow test: the compose-test action on your machine

Usage: goflow test [dir] [options]

Brings up <dir>'s compose file (dir defaults to .) once per spec file, each as its own compose
project with ephemeral ports, runs the spec's requests, prints Pass/Fail per test and tears
everything down (also on Ctrl-C). Flags override <dir>/goflow.yml (section test); paths are
relative to dir, except --junit-report and --logs-dir (relative to the current folder).

  --compose-file <file>     compose file(s), relative to dir (repeatable or comma-separated;
                            default docker-compose.yml, else compose.yaml)
  --tests <glob>            spec files, relative to dir (repeatable; default ${DEFAULT_TESTS_PATTERN})
  --image service=image     run a service from this image (repeatable), e.g. goauth=goauth:dev
  --env KEY=VALUE           for \${VAR} in the compose files and \${{ env.KEY }} in specs (repeatable)
  --parallel <n>            spec files at once (default one per CPU)
  --shard <i/n>             run only shard i of n of the spec files
  --no-isolate              use the compose files as they are (fixed ports: one run at a time)
  --wait-timeout <duration> readiness budget per environment, e.g. 60s or 2m (default 60s)
  --junit-report <file>     write the JUnit XML report here (default a temporary file)
  --logs-dir <dir>          save the compose logs of failed environments here (default a temporary folder)
  --keep-on-failure         leave failed environments running for debugging
  --stop-timeout <seconds>  grace after SIGTERM at teardown (default 0: kill at once)
  --external-networks <warn|error>
                            an external network in the compose file: a warning (default) or an error

Exit status: 0 when every test passed, 1 when one failed, 2 for invalid input, 130 when interrupted.`,
  options: {
    "compose-file": { type: "string", multiple: true },
    tests: { type: "string", multiple: true },
    image: { type: "string", multiple: true },
    env: { type: "string", multiple: true },
    parallel: { type: "string" },
    shard: { type: "string" },
    "no-isolate": { type: "boolean" },
    "wait-timeout": { type: "string" },
    "junit-report": { type: "string" },
    "logs-dir": { type: "string" },
    "keep-on-failure": { type: "boolean" },
    "stop-timeout": { type: "string" },
    "external-networks": { type: "string" },
  },
  async run(args: ParsedArgs, plain: Reporter): Promise<number> {
    if (args.positionals.length > 1) {
      throw new ConfigurationError(`goflow test takes one folder, got ${args.positionals.join(" ")}`);
    }
    const dir = args.positionals[0] ?? ".";
    const reporter = new PassFailColours(plain);
    // Paths in messages (and relative flags) are relative to where the command was run.
    const context = {
      ...(await buildLocalRunContext(dir)),
      workspace: process.cwd(),
      tempDir: createPrivateTempDir(),
    };
    // The stage's one reader: flags first, then the folder's goflow.yml (section test), then defaults.
    const flags: FlagValues = {
      "working-directory": dir,
      "compose-file": splitList(listFlag(args, "compose-file")),
      tests: splitList(listFlag(args, "tests")),
      images: listFlag(args, "image"),
      env: listFlag(args, "env"),
      parallel: stringFlag(args, "parallel"),
      shard: stringFlag(args, "shard"),
      isolate: booleanFlag(args, "no-isolate") ? false : undefined,
      "wait-timeout": stringFlag(args, "wait-timeout"),
      "junit-report": stringFlag(args, "junit-report"),
      "logs-dir": stringFlag(args, "logs-dir"),
      "keep-on-failure": booleanFlag(args, "keep-on-failure") || undefined,
      "stop-timeout": stringFlag(args, "stop-timeout"),
      "external-networks": stringFlag(args, "external-networks"),
    };
    const options = readComposeTestOptions(readCliOptionSources(dir, flags, context));

    const docker = new Docker();
    const state = new MemoryState();
    const cancel = cancelOnSignals((signal) =>
      plain.warning(`${signal}: stopping; tearing down the environments`),
    );
    try {
      const result = await runComposeTestStage(options, {
        reporter,
        docker,
        context,
        state,
        signal: cancel.signal,
      });
      const counts = formatCounts(result.counts);
      plain.info("");
      plain.info(result.status === "ok" ? colours.green(counts) : colours.red(counts));
      plain.info(colours.dim(`JUnit report: ${result.junitReport}`));
      return exitCodeOf(result);
    } finally {
      // Whatever main left up (an interrupted run); kept environments stay.
      await cleanUpComposeTest(docker, state, plain);
      cancel.dispose();
    }
  },
};

/** Colours the stage's `Pass:` / `Fail:` / `Skip:` lines; everything else passes through. */
class PassFailColours implements Reporter {
  constructor(private readonly inner: Reporter) {}
  info(message: string): void {
    this.inner.info(
      message
        .split("\n")
        .map((line) =>
          line
            .replace(/^(\s*)(Pass:)/, (_, space: string, word: string) => `${space}${colours.green(word)}`)
            .replace(/^(\s*)(Fail:)/, (_, space: string, word: string) => `${space}${colours.red(word)}`)
            .replace(/^(\s*)(Skip:)/, (_, space: string, word: string) => `${space}${colours.yellow(word)}`),
        )
        .join("\n"),
    );
  }
  debug(message: string): void {
    this.inner.debug(message);
  }
  warning(message: string): void {
    this.inner.warning(message);
  }
  annotate(finding: Finding): void {
    this.inner.annotate(finding);
  }
  group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.inner.group(name, fn);
  }
  setOutput(name: string, value: string): void {
    this.inner.setOutput(name, value);
  }
  setSecret(value: string): void {
    this.inner.setSecret(value);
  }
  appendSummary(markdown: string): Promise<void> {
    return this.inner.appendSummary(markdown);
  }
}
