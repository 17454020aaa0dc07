import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { docker } from "./docker.js";

/**
 * A real `registry:2` on a random free port of 127.0.0.1, so test files
 * running in parallel never share one. Docker treats `localhost:<port>` as an
 * insecure registry, so no TLS is needed; the HTTP API is read back over
 * 127.0.0.1 (Node may resolve `localhost` to ::1, where nothing listens).
 */
export interface TestRegistry {
  /** `localhost:<port>`: the host part of image names pushed here. */
  host: string;
  /** Base URL of the HTTP API. */
  url: string;
  container: string;
  /** The account the registry requires (htpasswd, bcrypt); undefined for an open registry. */
  auth: RegistryAccount | undefined;
  /** The repository's tags, sorted; [] when the repository does not exist. */
  tags(repository: string): Promise<string[]>;
  /** The manifest (for an index: the first platform's) with its digest and the image config's labels. */
  image(repository: string, tag: string): Promise<RegistryImage>;
}

export interface RegistryAccount {
  username: string;
  password: string;
}

export interface RegistryImage {
  /** Docker-Content-Digest of the manifest the tag points at. */
  digest: string;
  mediaType: string;
  labels: Record<string, string>;
}

const MANIFEST_TYPES = {
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
};

interface Manifest {
  mediaType?: string;
  config?: { digest: string };
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
}

/**
 * Starts the registry labelled `io.goflow.test=<testLabel>` and waits until its
 * API answers; `removeLabelledContainers(testLabel)` removes it. With `auth`,
 * the registry requires that account (distribution's htpasswd auth, bcrypt
 * hashed): the file is copied into the container before it starts, so nothing
 * is left on the host.
 */
export async function startRegistry(
  testLabel: string,
  options: { auth?: RegistryAccount } = {},
): Promise<TestRegistry> {
  const auth = options.auth;
  const authEnv = auth
    ? [
        ["REGISTRY_AUTH", "htpasswd"],
        ["REGISTRY_AUTH_HTPASSWD_REALM", "goflow-test"],
        ["REGISTRY_AUTH_HTPASSWD_PATH", "/auth/htpasswd"],
      ].flatMap(([name, value]) => ["--env", `${name}=${value}`])
    : [];
  const container = docker(
    "create",
    "--label",
    `io.goflow.test=${testLabel}`,
    "--publish",
    "127.0.0.1::5000",
    ...authEnv,
    "registry:2",
  );
  try {
    if (auth) {
      const folder = mkdtempSync(join(tmpdir(), "goflow-htpasswd-"));
      try {
        writeFileSync(join(folder, "htpasswd"), `${auth.username}:${bcrypt.hashSync(auth.password, 10)}\n`);
        docker("cp", folder, `${container}:/auth`);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
    docker("start", container);
    const mapping = docker("port", container, "5000/tcp").split("\n")[0] ?? "";
    const port = /:(\d+)$/.exec(mapping)?.[1];
    if (!port) throw new Error(`registry port not published: '${mapping}'`);
    const url = `http://127.0.0.1:${port}`;
    const headers: Record<string, string> = auth
      ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` }
      : {};
    await waitUntilReady(`${url}/v2/`, headers);
    return {
      host: `localhost:${port}`,
      url,
      container,
      auth,
      tags: (repository) => listTags(url, repository, headers),
      image: (repository, tag) => readImage(url, repository, tag, headers),
    };
  } catch (error) {
    docker("rm", "--force", "--volumes", container);
    throw error;
  }
}

/**
 * Each attempt has its own short timeout: while the registry starts, docker's
 * port proxy may accept a connection and never answer it.
 */
async function waitUntilReady(url: string, headers: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { headers, signal: AbortSignal.timeout(2_000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered 200 within 60 s`);
}

/**
 * Removes every container carrying `io.goflow.test=<testLabel>`: the registry
 * (also one whose start timed out) and anything else the test started.
 */
export function removeLabelledContainers(testLabel: string): void {
  const ids = docker("ps", "--all", "--quiet", "--filter", `label=io.goflow.test=${testLabel}`)
    .split("\n")
    .filter(Boolean);
  if (ids.length > 0) docker("rm", "--force", "--volumes", ...ids);
}

/** Removes every image carrying `io.goflow.test=<testLabel>`, whatever tags it got. */
export function removeLabelledImages(testLabel: string): void {
  const images = docker("images", "--quiet", "--no-trunc", "--filter", `label=io.goflow.test=${testLabel}`);
  const ids = [...new Set(images.split("\n").filter(Boolean))];
  if (ids.length > 0) docker("image", "rm", "--force", ...ids);
}

async function listTags(url: string, repository: string, headers: Record<string, string>): Promise<string[]> {
  const response = await fetch(`${url}/v2/${repository}/tags/list`, {
    headers,
    signal: AbortSignal.timeout(30_000),
  });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`tags of ${repository}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { tags?: string[] | null };
  return [...(body.tags ?? [])].sort();
}

async function readImage(
  url: string,
  repository: string,
  tag: string,
  headers: Record<string, string>,
): Promise<RegistryImage> {
  const first = await fetchManifest(url, repository, tag, headers);
  let manifest = first.manifest;
  if (manifest.manifests) {
    // An index (buildx with attestations): the first real platform's manifest.
    const entry = manifest.manifests.find((m) => m.platform?.os && m.platform.os !== "unknown");
    if (!entry) throw new Error(`${repository}:${tag} is an index without a platform manifest`);
    manifest = (await fetchManifest(url, repository, entry.digest, headers)).manifest;
  }
  if (!manifest.config) throw new Error(`${repository}:${tag}: manifest has no config`);
  const blob = await fetch(`${url}/v2/${repository}/blobs/${manifest.config.digest}`, {
    headers,
    signal: AbortSignal.timeout(30_000),
  });
  if (!blob.ok) throw new Error(`config blob of ${repository}:${tag}: ${blob.status}`);
  const config = (await blob.json()) as { config?: { Labels?: Record<string, string> | null } };
  return { digest: first.digest, mediaType: first.mediaType, labels: config.config?.Labels ?? {} };
}

async function fetchManifest(
  url: string,
  repository: string,
  reference: string,
  headers: Record<string, string>,
): Promise<{ manifest: Manifest; digest: string; mediaType: string }> {
  const response = await fetch(`${url}/v2/${repository}/manifests/${reference}`, {
    headers: { ...headers, accept: Object.values(MANIFEST_TYPES).join(", ") },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) {
    throw new Error(`manifest ${repository}:${reference}: ${response.status} ${await response.text()}`);
  }
  const manifest = (await response.json()) as Manifest;
  return {
    manifest,
    digest: response.headers.get("docker-content-digest") ?? "",
    mediaType: manifest.mediaType ?? response.headers.get("content-type") ?? "",
  };
}
