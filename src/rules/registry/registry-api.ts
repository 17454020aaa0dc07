/**
 * The pure half of the registry HTTP API (distribution's v2 / OCI
 * distribution spec): where an image's repository lives, which manifest types
 * to accept, and how to answer an authentication challenge.
 */

export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
] as const;

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryRepository {
  /** The host as docker names it (`ghcr.io`, `localhost:5000`, `docker.io`). */
  host: string;
  /** The API's base URL: https, except for loopback hosts, which docker itself talks to in plain http. */
  baseUrl: string;
  /** The repository path inside the registry (`acme/go-auth`, `library/redis`). */
  path: string;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/** `ghcr.io/acme/app` → ghcr.io + acme/app; `redis` → Docker Hub's registry-1.docker.io + library/redis. */
export function locateRepository(image: string): RegistryRepository {
  const parts = image.split("/");
  const first = parts[0] ?? "";
  const hasHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const host = hasHost ? first : "docker.io";
  const path = hasHost ? parts.slice(1) : parts;
  if (host === "docker.io" && path.length === 1) path.unshift("library");
  const apiHost = host === "docker.io" || host === "index.docker.io" ? "registry-1.docker.io" : host;
  const scheme = LOOPBACK.test(apiHost) ? "http" : "https";
  return { host, baseUrl: `${scheme}://${apiHost}`, path: path.join("/") };
}

export type AuthChallenge =
  | { scheme: "basic"; realm?: string }
  | { scheme: "bearer"; realm: string; service?: string; scope?: string };

/** `WWW-Authenticate: Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"`. */
export function parseAuthChallenge(header: string | null): AuthChallenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = (match[1] ?? "").toLowerCase();
  const params: Record<string, string> = {};
  for (const param of (match[2] ?? "").matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    const name = (param[1] ?? "").toLowerCase();
    params[name] = param[2] !== undefined ? param[2].replace(/\\(.)/g, "$1") : (param[3] ?? "");
  }
  if (scheme === "basic") return { scheme: "basic", ...(params.realm ? { realm: params.realm } : {}) };
  if (scheme === "bearer" && params.realm) {
    return {
      scheme: "bearer",
      realm: params.realm,
      ...(params.service ? { service: params.service } : {}),
      ...(params.scope ? { scope: params.scope } : {}),
    };
  }
  return undefined;
}

/** The token endpoint's URL for `scope` (the challenge's own scope is replaced: a push needs pull,push). */
export function tokenUrl(challenge: Extract<AuthChallenge, { scheme: "bearer" }>, scope: string): string {
  const url = new URL(challenge.realm);
  if (challenge.service) url.searchParams.set("service", challenge.service);
  url.searchParams.set("scope", scope);
  return url.toString();
}
