import { randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ComposeConfig,
  type ComposeTarget,
  chooseFreeSubnets,
  cleanupImages,
  formatIpv4Subnet,
  type Ipv4Subnet,
  moveSubnets,
  nameEnvironmentBuilds,
  parseIpv4Subnet,
  publishTargets,
  redirectDataFolders,
  servicesToBuild,
} from "../../rules/compose/index.js";
import type { ComposeEnvironment, ComposeFiles } from "../../runtime/compose.js";
import { copyDataFolders, removeWrittenFolder } from "../../runtime/data-folders.js";
import { RUN_LABEL } from "../../runtime/docker.js";
import { subnetsInUse } from "../../runtime/networks.js";
import { describeFailure } from "../../runtime/process.js";
import { fileHasFailures, type SpecFileResult } from "./results.js";
import type { SpecRunShared } from "./spec-run-shared.js";

/** One environment's compose files and what it makes that must go with it. */
export interface PreparedEnvironment {
  files: ComposeFiles;
  /** The model this environment runs. */
  config: ComposeConfig;
  /** Services built before `up`. */
  build: string[];
  /** Images the builds make under this environment's own names, removed at teardown. */
  images: string[];
  /** The environment's folder under the run's temp folder (isolated runs), removed at teardown. */
  folder: string | undefined;
  /** Subnets moved for this environment, released at teardown. */
  subnets: string[];
  /** The isolated model's compose file, rewritten when its subnets move again. */
  composeFile: string | undefined;
}

/**
 * The compose files of one project: with isolation, the isolated model with
 * its targets published, its builds named for this environment and its data
 * folders pointed at fresh copies, in a folder of its own; else the user's
 * files (builds then keep their names and are still rebuilt).
 */
export async function prepareEnvironment(
  shared: SpecRunShared,
  project: string,
  targets: readonly ComposeTarget[],
): Promise<PreparedEnvironment> {
  const { options } = shared;
  const compose = (files: readonly string[]): ComposeFiles => ({
    files,
    projectDirectory: options.workingDirectory,
    env: options.env,
  });
  if (!options.isolate) {
    const config = shared.config;
    return {
      files: compose(shared.plainFiles),
      config,
      // The images override names what is not to be built.
      build: servicesToBuild(config).filter((service) => !Object.hasOwn(options.images, service)),
      images: [],
      folder: undefined,
      subnets: [],
      composeFile: undefined,
    };
  }
  const published = publishTargets(shared.config, targets).config;
  const subnets = await reserveSubnets(shared, project);
  const moved = moveSubnets(published, subnets);
  for (const change of moved.changes) shared.reporter.info(`[${project}] ${change}`);
  const builds = nameEnvironmentBuilds(moved.config, project, { key: RUN_LABEL, value: shared.runLabel });
  for (const change of builds.changes) shared.reporter.debug(`[${project}] ${change}`);
  const folder = join(shared.tempDir, project);
  mkdirSync(folder, { recursive: true });
  const config =
    shared.dataFolders.length === 0
      ? builds.config
      : redirectDataFolders(builds.config, copyDataFolders(shared.dataFolders, join(folder, "data")));
  const path = join(folder, "compose.json");
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return {
    files: compose([path]),
    config,
    build: builds.services,
    images: builds.images,
    folder,
    subnets: [...subnets.values()].map(formatIpv4Subnet),
    composeFile: path,
  };
}

/** Free subnets of the wanted sizes: none that the engine, the host or this run's environments hold now. */
async function chooseSubnetsNow(
  shared: SpecRunShared,
  wanted: readonly Ipv4Subnet[],
): Promise<(Ipv4Subnet | undefined)[]> {
  const inUse = [...(await subnetsInUse(shared.docker)), ...shared.reservedSubnets]
    .map(parseIpv4Subnet)
    .filter((subnet) => subnet !== undefined);
  return chooseFreeSubnets(wanted, inUse, (n) => randomInt(n));
}

/**
 * Moves the environment's subnets once more, to free ones that are not the
 * ones it holds, and rewrites its compose file: for when another run (another
 * job on the same engine) created a network on the chosen subnet between our
 * look at the engine and our `up`.
 */
export async function moveToOtherSubnets(
  shared: SpecRunShared,
  project: string,
  prepared: PreparedEnvironment,
): Promise<void> {
  const held = prepared.subnets;
  // The held ones are still reserved, so none of them is chosen again.
  const chosen = await chooseSubnetsNow(
    shared,
    held.map(parseIpv4Subnet).filter((subnet) => subnet !== undefined),
  );
  const moves = new Map<string, Ipv4Subnet>();
  held.forEach((text, i) => {
    const subnet = chosen[i];
    if (subnet === undefined) throw new Error(`no other free subnet for ${text} in ${project}`);
    moves.set(text, subnet);
  });
  const moved = moveSubnets(prepared.config, moves);
  for (const change of moved.changes) shared.reporter.info(`[${project}] ${change}`);
  for (const subnet of held) shared.reservedSubnets.delete(subnet);
  prepared.subnets = [...moves.values()].map(formatIpv4Subnet);
  for (const subnet of prepared.subnets) shared.reservedSubnets.add(subnet);
  prepared.config = moved.config;
  if (prepared.composeFile !== undefined) {
    writeFileSync(prepared.composeFile, `${JSON.stringify(moved.config, null, 2)}\n`);
  }
}

/**
 * A free subnet for each fixed subnet of the model: none that a Docker
 * network, a host interface or another environment of this run holds. Kept in
 * `reservedSubnets` until the environment is gone.
 */
async function reserveSubnets(shared: SpecRunShared, project: string): Promise<Map<string, Ipv4Subnet>> {
  const moves = new Map<string, Ipv4Subnet>();
  if (shared.fixedSubnets.length === 0) return moves;
  const chosen = await chooseSubnetsNow(
    shared,
    shared.fixedSubnets.map((fixed) => fixed.subnet),
  );
  shared.fixedSubnets.forEach((fixed, i) => {
    const subnet = chosen[i];
    if (subnet === undefined) {
      throw new Error(
        `no free /${fixed.subnet.prefix} subnet for network '${fixed.network}' (fixed at ${fixed.text}) in ${project}: every private range of that size overlaps a Docker network or a host interface`,
      );
    }
    moves.set(fixed.text, subnet);
  });
  // Reserved before any await, so environments starting side by side never pick the same one.
  for (const subnet of moves.values()) shared.reservedSubnets.add(formatIpv4Subnet(subnet));
  return moves;
}

/**
 * Saves the logs of a failed environment, then removes it (or keeps it for
 * debugging): its containers, networks and volumes, what its containers wrote
 * into its data folders, and the images it built.
 */
export async function tearDownEnvironment(
  environment: ComposeEnvironment,
  prepared: PreparedEnvironment,
  shared: SpecRunShared,
  result: SpecFileResult,
): Promise<void> {
  const cancelled = result.problem?.phase === "cancelled" || shared.signal.aborted;
  const failed = fileHasFailures(result);
  if (failed && !cancelled) {
    const path = join(shared.logsDir, `${environment.project}.log`);
    try {
      const logs = await environment.logsToFile(path);
      if (logs.exitCode === 0) result.logsFile = path;
      else result.warnings.push(`saving the compose logs failed: ${describeFailure(logs)}`);
    } catch (error) {
      result.warnings.push(
        `saving the compose logs failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (failed && !cancelled && shared.options.keepOnFailure) {
    result.kept = true;
    shared.projectKept(environment.project);
    shared.reporter.warning(
      `[${result.file}] kept environment ${environment.project} for debugging (keep-on-failure); remove it with: docker compose -p ${environment.project} down --volumes --remove-orphans`,
    );
    return;
  }
  // A cancelled run has seconds before the runner kills it: no grace, whatever stop-timeout says.
  const down = await environment.down(
    cancelled ? 0 : shared.options.stopTimeoutSeconds,
    !shared.options.isolate,
  );
  if (down.exitCode === 0 && !down.timedOut) shared.projectGone(environment.project);
  else result.warnings.push(`teardown failed (the post step tries again): ${describeFailure(down)}`);
  if (prepared.folder !== undefined) {
    const images = cleanupImages(prepared.config, shared.dataFolders);
    const warning = await removeWrittenFolder(shared.docker, prepared.folder, images, shared.runLabel);
    if (warning !== undefined) result.warnings.push(warning);
  }
  for (const subnet of prepared.subnets) shared.reservedSubnets.delete(subnet);
  const removed = await shared.docker.removeImages(prepared.images);
  for (const error of removed.errors) result.warnings.push(`removing the built images failed: ${error}`);
}
