import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { formatBytes, lastLines, plural } from "../../rules/format.js";
import {
  type BuildTarget,
  formatPlatform,
  parseCompilerOutput,
  parseGofmtList,
  platformBuildEnv,
  unformattedFindings,
} from "../../rules/go/index.js";
import { capFindings, type Finding } from "../../rules/report/index.js";
import type { GoContainer } from "../../runtime/go-container.js";
import type { Reporter } from "../../runtime/reporter.js";
import { checkedGo, runGo, STEP_TIMEOUT_MS, StepFailure } from "./go-commands.js";
import { type BuildPlan, listGoSourceFiles } from "./plan.js";

/** The go-build steps but the tests (test-step.ts): each runs its Go commands in the builder and reports. */

/** GitHub shows 10 error annotations per step. */
export const MAX_ANNOTATIONS = 10;
const GOFMT_FILES_PER_CALL = 2_000;

export async function downloadDependencies(
  go: GoContainer,
  plan: BuildPlan,
  reporter: Reporter,
): Promise<string> {
  if (plan.vendored) {
    reporter.info(`vendor/modules.txt found: building from vendor/ (containers' network: ${plan.network})`);
    return plan.network === "none" ? "vendored (no network)" : "vendored";
  }
  if (!plan.hasRequirements) {
    reporter.info("go.mod requires no modules: nothing to download");
    return "nothing to download";
  }
  // Not GOPROXY's value: a proxy URL may carry credentials.
  reporter.info("go mod download");
  const result = await runGo(go, ["go", "mod", "download"], reporter);
  if (result.exitCode !== 0) {
    const message =
      lastLines(result.stderr || result.stdout, 20) || `go mod download exited with ${result.exitCode}`;
    reporter.annotate({
      severity: "error",
      title: "go mod download",
      message,
      location: { file: join(plan.baseDir, "go.mod").replace(/^\.\//, "") },
    });
    throw new StepFailure("go mod download failed");
  }
  return "modules downloaded";
}

export async function checkFormat(
  go: GoContainer,
  plan: BuildPlan,
  mode: "check" | "fix",
  reporter: Reporter,
): Promise<string> {
  const files = listGoSourceFiles(plan.moduleDir);
  if (files.length === 0) return "no Go files";
  const listed: string[] = [];
  for (let i = 0; i < files.length; i += GOFMT_FILES_PER_CALL) {
    const chunk = files.slice(i, i + GOFMT_FILES_PER_CALL);
    const args = mode === "fix" ? ["gofmt", "-l", "-w", ...chunk] : ["gofmt", "-l", ...chunk];
    const result = await checkedGo(go, args, { allowExitCodes: [2], timeoutMs: STEP_TIMEOUT_MS });
    if (result.exitCode !== 0) {
      // gofmt exits 2 on a syntax error; the compiler will say the same, but this is the first step to see it.
      const findings = parseCompilerOutput(result.stderr, { baseDir: plan.baseDir, title: "gofmt" });
      annotateAll(reporter, findings);
      reporter.info(result.stderr.trimEnd());
      throw new StepFailure(`gofmt could not parse ${findings.length || "some"} files`);
    }
    listed.push(...parseGofmtList(result.stdout));
  }
  if (listed.length === 0) {
    reporter.info(`${files.length} files are gofmt-formatted`);
    return `${files.length} files formatted`;
  }
  if (mode === "fix") {
    for (const finding of unformattedFindings(listed, plan.baseDir)) {
      reporter.annotate({
        ...finding,
        severity: "notice",
        message: "reformatted with gofmt -w; commit the change",
      });
    }
    return `reformatted ${listed.length} files: ${listed.join(", ")}`;
  }
  const findings = unformattedFindings(listed, plan.baseDir);
  annotateAll(reporter, findings);
  const paths = findings.map((finding) => finding.location?.file ?? "");
  throw new StepFailure(
    `${plural(listed.length, "file is", "files are")} not gofmt-formatted: ${paths.join(", ")}`,
  );
}

export async function vet(
  go: GoContainer,
  plan: BuildPlan,
  tags: string[],
  reporter: Reporter,
): Promise<string> {
  const result = await runGo(go, ["go", "vet", ...tags, "./..."], reporter);
  if (result.exitCode === 0) return "no findings";
  const found = annotateCompilerFailure(reporter, result.stderr, plan.baseDir, "go vet");
  throw new StepFailure(`go vet reported ${found || "a"} problem${found === 1 ? "" : "s"}`);
}

/**
 * Annotates each `file:line:col: message` of a failed go command; when none
 * can be read (a crash, a missing tool), the end of its output instead.
 * Returns how many findings were read.
 */
export function annotateCompilerFailure(
  reporter: Reporter,
  stderr: string,
  baseDir: string,
  title: string,
): number {
  const findings = parseCompilerOutput(stderr, { baseDir, title });
  if (findings.length === 0)
    reporter.annotate({ severity: "error", title, message: lastLines(stderr, 20) || `${title} failed` });
  annotateAll(reporter, findings);
  return findings.length;
}

/** Builds every target of the plan and puts the binaries where the plan says. */
export async function build(go: GoContainer, plan: BuildPlan, reporter: Reporter): Promise<string[]> {
  await compileTargets(go, plan, plan.targets, reporter);
  return placeBinaries(plan.targets, reporter);
}

/**
 * `go build` for each target into its `-o`; a target with renames builds into
 * a staging folder, emptied first. Nothing is moved yet (placeBinaries).
 */
export async function compileTargets(
  go: GoContainer,
  plan: BuildPlan,
  targets: readonly BuildTarget[],
  reporter: Reporter,
): Promise<void> {
  for (const target of targets) {
    const label = targetLabel(target);
    reporter.info(`go ${target.args.join(" ")} (${label})`);
    const staging = stagingFolder(target);
    if (staging) rmSync(staging, { recursive: true, force: true });
    const env = target.platform ? platformBuildEnv(target.platform) : {};
    const result = await runGo(go, ["go", ...target.args], reporter, { env });
    if (result.exitCode !== 0) {
      const found = annotateCompilerFailure(reporter, result.stderr, plan.baseDir, "go build");
      throw new StepFailure(`go build (${label}) failed${found > 0 ? ` with ${found} errors` : ""}`);
    }
  }
}

/** Moves staged binaries to their final paths, checks each is there, and returns them all. */
export function placeBinaries(targets: readonly BuildTarget[], reporter: Reporter): string[] {
  const binaries: string[] = [];
  for (const target of targets) {
    for (const [from, to] of target.renames) {
      if (!existsSync(from)) continue;
      mkdirSync(dirname(to), { recursive: true });
      moveFile(from, to);
    }
    const staging = stagingFolder(target);
    if (staging) rmSync(staging, { recursive: true, force: true });
    for (const binary of target.binaries) {
      if (!existsSync(binary)) {
        throw new StepFailure(
          `go build wrote no ${binary}; check that each entry of packages is a main package`,
        );
      }
      reporter.info(`built ${binary} (${formatBytes(statSync(binary).size)})`);
      binaries.push(binary);
    }
  }
  return binaries;
}

function targetLabel(target: BuildTarget): string {
  return target.platform ? formatPlatform(target.platform) : "the builder's platform";
}

/** A target whose binaries are renamed after the build writes them to its own folder first. */
function stagingFolder(target: BuildTarget): string | undefined {
  return target.renames.length > 0 && target.output.endsWith("/") ? target.output : undefined;
}

/** A rename, or a copy keeping the mode where the staging folder is on another file system. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    copyFileSync(from, to);
    chmodSync(to, statSync(from).mode & 0o7777);
    rmSync(from, { force: true });
  }
}

export function annotateAll(reporter: Reporter, findings: Finding[]): void {
  for (const finding of capFindings(findings, MAX_ANNOTATIONS)) reporter.annotate(finding);
}

export function commonFolder(paths: string[]): string {
  let common = dirname(paths[0] ?? ".");
  for (const path of paths) {
    while (!`${path}/`.startsWith(`${common}/`) && common !== dirname(common)) common = dirname(common);
  }
  return common;
}
