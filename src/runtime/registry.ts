import { createHash } from "node:crypto";
import {
  type AuthChallenge,
  locateRepository,
  MANIFEST_MEDIA_TYPES,
  parseAuthChallenge,
  type RegistryCredentials,
  type RegistryRepository,
  tokenUrl,
} from "../rules/registry/registry-api.js";
import { readDockerCredentials } from "./docker-credentials.js";
import { startRequestDeadline } from "./http.js";

/**
 * A registry's HTTP API (OCI distribution), for what needs no docker engine:
 * reading a tag's digest, copying a manifest's exact bytes under another tag
 * (so an index stays the same index, by the same digest), and writing small
 * artifacts. Credentials go only into Authorization headers, never a URL.
 */
export type { RegistryCredentials };

export interface ManifestDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface Manifest extends ManifestDescriptor {
  body: Buffer;
}

export class RegistryError extends Error {
  override readonly name = "RegistryError";
}

/** The registry refused the credentials (or wants some): the user can fix it. */
export class RegistryAuthError extends RegistryError {}

const TIMEOUT_MS = 60_000;

export class RegistryClient {
  readonly repository: RegistryRepository;
  private authorization: string | undefined;

  constructor(
    image: string,
    private readonly options: {
      credentials?: RegistryCredentials;
      signal?: AbortSignal;
      timeoutMs?: number;
    } = {},
  ) {
    this.repository = locateRepository(image);
  }

  /** The manifest a tag or digest names, or undefined when the registry has none by that reference. */
  async resolve(reference: string): Promise<ManifestDescriptor | undefined> {
    const response = await this.send("HEAD", `manifests/${reference}`, {
      accept: MANIFEST_MEDIA_TYPES.join(", "),
    });
    if (response.status === 404) return undefined;
    await this.expect(response, [200], `HEAD manifest ${reference}`);
    const digest = response.headers.get("docker-content-digest");
    const mediaType = response.headers.get("content-type");
    if (!digest || !mediaType) {
      // Some registries answer HEAD without the digest; the body's own hash is the digest.
      const manifest = await this.getManifest(reference);
      return manifest && { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size };
    }
    return { digest, mediaType, size: Number(response.headers.get("content-length") ?? 0) };
  }

  async getManifest(reference: string): Promise<Manifest | undefined> {
    const response = await this.send("GET", `manifests/${reference}`, {
      accept: MANIFEST_MEDIA_TYPES.join(", "),
    });
    if (response.status === 404) return undefined;
    await this.expect(response, [200], `GET manifest ${reference}`);
    const body = Buffer.from(await response.arrayBuffer());
    const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
    return { body, digest, mediaType, size: body.length };
  }

  /** PUTs a manifest's bytes under `reference`; returns the digest the registry computed. */
  async putManifest(reference: string, body: Buffer, mediaType: string): Promise<string> {
    const response = await this.send("PUT", `manifests/${reference}`, { "content-type": mediaType }, body);
    await this.expect(response, [201, 200], `PUT manifest ${reference}`);
    return (
      response.headers.get("docker-content-digest") ??
      `sha256:${createHash("sha256").update(body).digest("hex")}`
    );
  }

  /** Uploads a small blob in one request, unless the repository already has it. */
  async ensureBlob(content: Buffer, digest: string): Promise<void> {
    const head = await this.send("HEAD", `blobs/${digest}`);
    if (head.status === 200) return;
    const start = await this.send("POST", "blobs/uploads/");
    await this.expect(start, [202], "start blob upload");
    const location = start.headers.get("location");
    if (!location) throw new RegistryError(`${this.repository.host}: blob upload gave no Location`);
    const url = new URL(location, `${this.repository.baseUrl}/`);
    url.searchParams.set("digest", digest);
    const put = await this.send("PUT", url, { "content-type": "application/octet-stream" }, content);
    await this.expect(put, [201], `upload blob ${digest}`);
  }

  private async send(
    method: string,
    target: string | URL,
    headers: Record<string, string> = {},
    body?: Buffer,
  ): Promise<Response> {
    const url =
      typeof target === "string"
        ? `${this.repository.baseUrl}/v2/${this.repository.path}/${target}`
        : target.toString();
    let response = await this.fetch(url, method, headers, body);
    if (response.status === 401 && (await this.authenticate(response, method))) {
      response = await this.fetch(url, method, headers, body);
    }
    if (response.status === 401) {
      throw new RegistryAuthError(
        `${this.repository.host} refused ${this.options.credentials ? `the credentials of '${this.options.credentials.username}'` : "an anonymous request"} for ${this.repository.path}; check username and password (a token needs read and write access to the packages)`,
      );
    }
    return response;
  }

  private async fetch(
    url: string,
    method: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): Promise<Response> {
    const deadline = startRequestDeadline(this.options.timeoutMs ?? TIMEOUT_MS, this.options.signal);
    try {
      const response = await fetch(url, {
        method,
        headers: { ...headers, ...(this.authorization ? { authorization: this.authorization } : {}) },
        ...(body ? { body: new Uint8Array(body) } : {}),
        signal: deadline.signal,
        redirect: "follow",
      });
      // Read the body while the deadline holds the process; callers get a response they can read again.
      const bytes = method === "HEAD" ? undefined : Buffer.from(await response.arrayBuffer());
      return new Response(bytes && bytes.length > 0 ? new Uint8Array(bytes) : null, {
        status: response.status,
        headers: response.headers,
      });
    } catch (error) {
      if (deadline.timedOut())
        throw new RegistryError(
          `${method} ${redact(url)}: no answer within ${this.options.timeoutMs ?? TIMEOUT_MS} ms`,
        );
      throw new RegistryError(
        `${method} ${redact(url)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      deadline.clear();
    }
  }

  /** Answers a 401's challenge once: Basic with the credentials, or a Bearer token for pull (and push when writing). */
  private async authenticate(response: Response, method: string): Promise<boolean> {
    if (this.authorization?.startsWith("Bearer") === false) return false;
    const challenge: AuthChallenge | undefined = parseAuthChallenge(response.headers.get("www-authenticate"));
    const credentials = this.options.credentials;
    const basic = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`
      : undefined;
    if (!challenge) return false;
    if (challenge.scheme === "basic") {
      if (!basic || this.authorization === basic) return false;
      this.authorization = basic;
      return true;
    }
    const actions = method === "GET" || method === "HEAD" ? "pull" : "pull,push";
    const url = tokenUrl(challenge, `repository:${this.repository.path}:${actions}`);
    const saved = this.authorization;
    this.authorization = basic;
    const tokenResponse = await this.fetch(url, "GET", {});
    this.authorization = saved;
    if (tokenResponse.status === 401 || tokenResponse.status === 403) return false;
    await this.expect(tokenResponse, [200], "token");
    const token = (await tokenResponse.json()) as { token?: string; access_token?: string };
    const value = token.token ?? token.access_token;
    if (!value) return false;
    this.authorization = `Bearer ${value}`;
    return true;
  }

  private async expect(response: Response, statuses: readonly number[], what: string): Promise<void> {
    if (statuses.includes(response.status)) return;
    const text = (await response.text().catch(() => "")).slice(0, 300).trim();
    if (response.status === 403) {
      throw new RegistryAuthError(
        `${this.repository.host}: ${what} of ${this.repository.path} is forbidden (403); the account needs write access${text ? `: ${text}` : ""}`,
      );
    }
    throw new RegistryError(
      `${this.repository.host}: ${what} of ${this.repository.path} failed: ${response.status}${text ? ` ${text}` : ""}`,
    );
  }
}

/**
 * A client for `image`'s registry with the given credentials or, without
 * them, whatever `docker login` stored for the host (docker/login-action on a
 * runner, a laptop's own login), so API calls work wherever a push would.
 */
export async function openRegistry(
  image: string,
  options: { credentials?: RegistryCredentials | undefined; signal?: AbortSignal | undefined } = {},
): Promise<RegistryClient> {
  const credentials = options.credentials ?? (await readDockerCredentials(locateRepository(image).host));
  return new RegistryClient(image, {
    ...(credentials ? { credentials } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** A URL with any query (upload state, tokens) left out, for messages. */
function redact(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
