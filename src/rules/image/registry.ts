import { ConfigurationError } from "../../errors.js";

/** The registry an image name points at, as docker reads it. */
export function registryHost(image: string): string {
  const first = image.split("/")[0] ?? "";
  const hasHost =
    image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return hasHost ? first : "docker.io";
}

/** What `docker login` is given. */
export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

/** Whether to log in before pushing, and what to tell the user about it. */
export interface LoginDecision {
  login: RegistryLogin | undefined;
  info?: string;
  warning?: string;
}

/**
 * Logs in only when credentials are given and something is pushed now (fork
 * pull requests get no secrets: an empty password must not fail a build that
 * pushes nothing). The registry defaults to the image's. Half-given
 * credentials are the user's to fix.
 */
export function planRegistryLogin(
  credentials: { registry: string | undefined; username: string | undefined; password: string | undefined },
  image: string,
  pushNow: boolean,
): LoginDecision {
  const { username, password } = credentials;
  if (!username && !credentials.registry && !password) return { login: undefined };
  if (!pushNow) return { login: undefined, info: "not logging in to the registry: nothing is pushed" };
  const registry = credentials.registry || registryHost(image);
  if (!username) {
    throw new ConfigurationError(
      `${password ? "password" : `registry '${registry}'`} is set but username is empty; set username (and password) to log in, or remove ${password ? "password" : "registry"} to push with the runner's existing login`,
    );
  }
  if (!password) {
    throw new ConfigurationError(
      `username '${username}' is set for ${registry} but password is empty; pass the registry password or token (e.g. password: \${{ secrets.GITHUB_TOKEN }} for ghcr.io, with permissions: packages: write)`,
    );
  }
  const imageRegistry = registryHost(image);
  const decision: LoginDecision = { login: { registry, username, password } };
  if (imageRegistry !== registry.replace(/^https?:\/\//, "").replace(/\/+$/, "")) {
    decision.warning = `logging in to ${registry}, but the image '${image}' is pushed to ${imageRegistry}`;
  }
  return decision;
}
