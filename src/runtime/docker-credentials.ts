import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { RegistryCredentials } from "../rules/registry/registry-api.js";
import { runProcess } from "./process.js";

/**
 * The credentials `docker login` (or docker/login-action) stored for a
 * registry host, so calls to the registry's HTTP API work wherever a push
 * would: `auths` in the client's config.json, or the credential helper it
 * names (`credHelpers`, `credsStore`). Undefined when there are none.
 */
export async function readDockerCredentials(
  host: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RegistryCredentials | undefined> {
  const config = readConfig(join(env.DOCKER_CONFIG ?? join(homedir(), ".docker"), "config.json"));
  if (!config) return undefined;
  const keys =
    host === "docker.io"
      ? ["https://index.docker.io/v1/", "index.docker.io", "docker.io"]
      : [host, `https://${host}`];
  const helper = keys.map((key) => config.credHelpers?.[key]).find(Boolean) ?? config.credsStore;
  if (helper) {
    const fromHelper = await askHelper(helper, keys[0] ?? host);
    if (fromHelper) return fromHelper;
  }
  for (const key of keys) {
    const auth = config.auths?.[key]?.auth;
    if (!auth) continue;
    const decoded = Buffer.from(auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

interface DockerClientConfig {
  auths?: Record<string, { auth?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

function readConfig(path: string): DockerClientConfig | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as DockerClientConfig;
  } catch {
    return undefined;
  }
}

/** `docker-credential-<helper> get` with the server on stdin, as the docker client asks it. */
async function askHelper(helper: string, server: string): Promise<RegistryCredentials | undefined> {
  if (!/^[\w.-]+$/.test(helper)) return undefined;
  try {
    const result = await runProcess(`docker-credential-${helper}`, ["get"], {
      input: server,
      timeoutMs: 30_000,
    });
    if (result.exitCode !== 0) return undefined;
    const answer = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
    return answer.Username && answer.Secret
      ? { username: answer.Username, password: answer.Secret }
      : undefined;
  } catch {
    return undefined;
  }
}
