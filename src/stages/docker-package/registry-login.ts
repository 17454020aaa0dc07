import { ConfigurationError } from "../../errors.js";
import type { PackageOptions } from "../../options/docker-package.js";
import { lastLines } from "../../rules/format.js";
import { planRegistryLogin, type RegistryLogin } from "../../rules/image/index.js";
import { type Docker, dockerLoginArgs, dockerLogoutArgs } from "../../runtime/docker.js";
import { describeFailure } from "../../runtime/process.js";
import type { Reporter } from "../../runtime/reporter.js";
import { StateKey, type StateStore } from "../../runtime/state.js";
import { MINUTE } from "./package-runtime.js";

/** The login to do before pushing (see planRegistryLogin), its notes reported. */
export function planLogin(
  options: Pick<PackageOptions, "registry" | "username" | "password">,
  image: string,
  pushNow: boolean,
  reporter: Reporter,
): RegistryLogin | undefined {
  const decision = planRegistryLogin(options, image, pushNow);
  if (decision.info) reporter.info(decision.info);
  if (decision.warning) reporter.warning(decision.warning);
  return decision.login;
}

/** `docker login` with the password on stdin; records the registry for the logout in the post step. */
export async function loginRegistry(
  docker: Docker,
  login: RegistryLogin,
  state: StateStore,
  reporter: Reporter,
): Promise<void> {
  const result = await docker.run(dockerLoginArgs(login.registry, login.username), {
    input: login.password,
    timeoutMs: 2 * MINUTE,
  });
  if (result.exitCode !== 0 || result.timedOut) {
    const detail = lastLines(result.stderr || result.stdout, 3, " ");
    throw new ConfigurationError(
      `docker login to ${login.registry} as '${login.username}' failed (${detail || "no answer"}); check the registry, username and password (a token needs permission to push packages)`,
    );
  }
  state.save(StateKey.registryLogin, login.registry);
  reporter.info(`logged in to ${login.registry} as ${login.username}`);
}

/** Logs out of a registry the stage logged in to; never throws, since it runs as cleanup. */
export async function logoutRegistry(docker: Docker, registry: string, reporter: Reporter): Promise<void> {
  try {
    const result = await docker.run(dockerLogoutArgs(registry), { timeoutMs: MINUTE });
    if (result.exitCode === 0) reporter.info(`logged out of ${registry}`);
    else reporter.warning(`docker logout ${registry} failed: ${describeFailure(result)}`);
  } catch (error) {
    reporter.warning(`docker logout ${registry} failed: ${error instanceof Error ? error.message : error}`);
  }
}
