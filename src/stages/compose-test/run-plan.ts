import { ConfigurationError, formatLocation } from "../../errors.js";
import type { ComposeTestOptions } from "../../options/compose-test.js";
import {
  type ComposeConfig,
  checkTargetsExist,
  composeServiceNames,
  type DataFolder,
  describeMissingService,
  execReferences,
  type FixedSubnet,
  fixedSubnets,
  isolateComposeConfig,
  listProjectBindMounts,
  planDataFolders,
  serviceProfiles,
} from "../../rules/compose/index.js";
import { relativeToWorkspace } from "../../rules/paths.js";
import { listEnvReferences } from "../../rules/spec/interpolation.js";
import { specTargets } from "../../rules/spec/spec.js";
import { loadComposeConfig } from "../../runtime/compose.js";
import { inspectBindSources } from "../../runtime/data-folders.js";
import { createRunId, type Docker, RUN_LABEL } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import type { RunContext } from "../../runtime/run-context.js";
import { parseSpecFiles, selectSpecFiles } from "./spec-files.js";
import type { LoadedSpec } from "./spec-run-shared.js";

/** Everything a run is checked against before any container starts, and what it is made of. */
export interface RunPlan {
  specs: LoadedSpec[];
  /** The value of the run label on everything the run creates. */
  runLabel: string;
  /** The model every environment runs (isolated when `isolate` is on) and what isolation could not isolate. */
  model: { config: ComposeConfig; warnings: string[] };
  /** Read-write bind-mounted project folders every isolated environment gets its own copy of. */
  dataFolders: DataFolder[];
  fixedSubnets: FixedSubnet[];
  /** For `${{ env.NAME }}`: the environment with the `env` input over it. */
  env: Record<string, string | undefined>;
}

/**
 * Finds and validates every spec file and the compose model they refer to:
 * everything the user can get wrong fails here, before any container starts.
 */
export async function planRun(
  options: ComposeTestOptions,
  runtime: {
    reporter: Reporter;
    docker: Docker;
    context: RunContext;
    env?: Readonly<Record<string, string | undefined>>;
  },
): Promise<RunPlan> {
  const { reporter, docker, context } = runtime;
  const specFiles = selectSpecFiles(options, reporter);
  const specs = parseSpecFiles(specFiles, options.workingDirectory, context.workspace, reporter);
  const config = await loadComposeConfig(docker, {
    files: options.composeFiles,
    projectDirectory: options.workingDirectory,
    env: options.env,
  });
  checkSpecsAgainstCompose(specs, config, options, await inactiveServices(specs, config, docker, options));
  const env = { ...(runtime.env ?? process.env), ...options.env };
  checkEnvReferences(specs, env, reporter);
  const mounts = listProjectBindMounts(config, options.workingDirectory);
  const dataFolders = planDataFolders(mounts, inspectBindSources(mounts), (source) =>
    relativeToWorkspace(context.workspace, source),
  );
  const runLabel = createRunId({ runId: context.runId, runAttempt: context.runAttempt });
  return {
    specs,
    runLabel,
    model: isolateModel(config, options, runLabel, reporter),
    dataFolders: options.isolate ? dataFolders : [],
    fixedSubnets: options.isolate ? fixedSubnets(config) : [],
    env,
  };
}

/**
 * Every `${{ env.NAME }}` of every spec must be set (by the `env` input or the
 * environment) before anything starts: each missing one is annotated at its
 * line, the error names the first.
 */
function checkEnvReferences(
  specs: readonly LoadedSpec[],
  env: Readonly<Record<string, string | undefined>>,
  reporter: Reporter,
): void {
  const missing = specs.flatMap(({ spec }) =>
    listEnvReferences(spec).filter(({ name }) => env[name] === undefined),
  );
  if (missing.length === 0) return;
  const message = (name: string) =>
    `\${{ env.${name} }} is not set: set ${name} in the env input (or the step's environment)`;
  for (const { name, location } of missing) {
    reporter.annotate({
      severity: "error",
      title: "compose-test: invalid spec",
      message: message(name),
      location,
    });
  }
  const first = missing[0]!;
  const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : "";
  throw new ConfigurationError(`${formatLocation(first.location)}: ${message(first.name)}${more}`);
}

/**
 * The services the specs name that the model lacks but a disabled profile has,
 * with their profiles (compose's config with every profile enabled is only
 * read when some service is missing).
 */
async function inactiveServices(
  specs: readonly LoadedSpec[],
  config: ComposeConfig,
  docker: Docker,
  options: ComposeTestOptions,
): Promise<Map<string, string[]>> {
  const named = specs.flatMap(({ spec }) => specTargets(spec).map((reference) => reference.service));
  if (named.every((service) => Object.hasOwn(config.services, service))) return new Map();
  const all = await loadComposeConfig(
    docker,
    { files: options.composeFiles, projectDirectory: options.workingDirectory, env: options.env },
    { allProfiles: true },
  ).catch(() => undefined);
  return all === undefined ? new Map() : serviceProfiles(all);
}

/** Every target and exec service a spec names must be a service of the compose model. */
function checkSpecsAgainstCompose(
  specs: readonly LoadedSpec[],
  config: ComposeConfig,
  options: ComposeTestOptions,
  inactive: ReadonlyMap<string, readonly string[]>,
): void {
  const services = composeServiceNames(config);
  for (const { spec } of specs) {
    const targets = specTargets(spec).flatMap((reference) =>
      reference.role === "target" && reference.port !== undefined
        ? [{ service: reference.service, port: reference.port, location: reference.location }]
        : [],
    );
    checkTargetsExist(targets, services, inactive);
    for (const reference of execReferences(spec)) {
      if (services.includes(reference.service)) continue;
      throw new ConfigurationError(
        describeMissingService(reference.service, "an exec step", services, inactive),
        reference.location,
      );
    }
  }
  for (const service of Object.keys(options.images)) {
    if (services.includes(service)) continue;
    throw new ConfigurationError(
      `images names service '${service}', which is not in the compose config (services: ${services.join(", ")}); use one of those names`,
    );
  }
}

/**
 * The isolated model (shared by every file) and what isolation could not
 * isolate, or the model as loaded. Throws the ConfigurationErrors of
 * isolation (an external network under external-networks: error).
 */
function isolateModel(
  loaded: ComposeConfig,
  options: ComposeTestOptions,
  runLabel: string,
  reporter: Reporter,
): { config: ComposeConfig; warnings: string[] } {
  if (!options.isolate) return { config: loaded, warnings: [] };
  const isolated = isolateComposeConfig(loaded, {
    runLabel: { key: RUN_LABEL, value: runLabel },
    images: options.images,
    externalNetworks: options.externalNetworks,
  });
  for (const change of isolated.changes) reporter.debug(`isolate: ${change}`);
  return { config: isolated.config, warnings: isolated.warnings };
}
