import { createHmac, randomBytes } from "node:crypto";
import {
  appendFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  type CacheScope,
  issueRuntimeToken,
  type RuntimeClaims,
  verifyRuntimeToken,
} from "./runtime-token.js";

/**
 * GitHub's results service on 127.0.0.1, as the real clients use it: the
 * twirp ArtifactService (artifacts v4) and CacheService (cache v2) as JSON
 * over POST, and a blob store behind signed URLs that takes what the Azure
 * SDK sends (a single PUT, or PUT ?comp=block per block then ?comp=blocklist)
 * and serves GET (with ranges) and HEAD.
 *
 * GitHub's documented semantics:
 * - an artifact name is unique in its workflow run and immutable: a second
 *   CreateArtifact of the name gets 409 Conflict;
 * - a cache entry (scope, key, version) is immutable: a second CreateCacheEntry gets 409;
 * - a restore tries the exact key, then each restore key as a prefix, newest
 *   entry first, in each scope the job may read, in order (its own ref, then
 *   the pull request's base branch and the default branch); a job writes only
 *   to its own ref's scope, so a base branch never reads a pull request's caches.
 */
export interface ResultsService {
  /** ACTIONS_RESULTS_URL. */
  url: string;
  /** The variables the runner gives a job's steps for this run, job and cache scopes. */
  runtimeEnv(claims: RuntimeClaims): Record<string, string>;
  /** Finalized artifacts of a run, oldest first. */
  artifacts(runId: string): StoredArtifact[];
  /** Finalized cache entries, oldest first. */
  cacheEntries(): StoredCacheEntry[];
  /** The twirp calls received, `Service/Method`, in order. */
  calls: string[];
  close(): Promise<void>;
}

export interface StoredArtifact {
  id: number;
  name: string;
  jobId: string;
  size: number;
  digest: string | undefined;
}

export interface StoredCacheEntry {
  id: number;
  scope: string;
  key: string;
  version: string;
  size: number;
}

interface Artifact extends StoredArtifact {
  runId: string;
  blob: string;
  finalized: boolean;
  createdAt: Date;
}

interface CacheEntry extends StoredCacheEntry {
  blob: string;
  finalized: boolean;
}

interface Blob {
  path: string;
  contentType: string;
  committed: boolean;
  sealed: boolean;
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ARTIFACT_SERVICE = "github.actions.results.api.v1.ArtifactService";
const CACHE_SERVICE = "github.actions.results.api.v1.CacheService";

type Json = Record<string, unknown>;
type Handler = (request: Json, claims: RuntimeClaims) => Json;

export async function startResultsService(): Promise<ResultsService> {
  const secret = randomBytes(32).toString("hex");
  const storage = mkdtempSync(join(tmpdir(), "goflow-results-"));
  const blobs = new Map<string, Blob>();
  const artifacts: Artifact[] = [];
  const entries: CacheEntry[] = [];
  const calls: string[] = [];
  let nextId = 1;
  let origin = "";

  const newBlob = (suffix: string): string => {
    const id = `${nextId++}${suffix}`;
    blobs.set(id, {
      path: join(storage, id),
      contentType: "application/octet-stream",
      committed: false,
      sealed: false,
    });
    return id;
  };
  const sign = (permission: "r" | "w", blob: string) =>
    createHmac("sha256", secret).update(`${permission}:${blob}`).digest("hex");
  const signedUrl = (permission: "r" | "w", blob: string) =>
    `${origin}/goflow/blobs/${blob}?sp=${permission}&sig=${sign(permission, blob)}`;
  const string = (value: unknown) => (typeof value === "string" ? value : "");

  const artifactOf = (claims: RuntimeClaims, name: string) =>
    artifacts.find((a) => a.runId === claims.runId && a.name === name);

  const artifactHandlers: Record<string, Handler> = {
    CreateArtifact: (request, claims) => {
      const name = string(request.name);
      if (!name) throw new TwirpError(400, "invalid_argument", "name is required");
      if (artifactOf(claims, name))
        throw new TwirpError(
          409,
          "already_exists",
          `an artifact named ${name} already exists in this workflow run`,
        );
      const artifact: Artifact = {
        id: nextId++,
        runId: claims.runId,
        jobId: claims.jobId,
        name,
        size: 0,
        digest: undefined,
        blob: newBlob(`-${name.replace(/[^\w.-]/g, "_")}.zip`),
        finalized: false,
        createdAt: new Date(),
      };
      artifacts.push(artifact);
      return { ok: true, signed_upload_url: signedUrl("w", artifact.blob) };
    },
    FinalizeArtifact: (request, claims) => {
      const artifact = artifactOf(claims, string(request.name));
      if (!artifact || artifact.jobId !== claims.jobId)
        throw new TwirpError(
          404,
          "not_found",
          `no artifact ${string(request.name)} is being uploaded by this job`,
        );
      const blob = blobs.get(artifact.blob);
      if (!blob?.committed)
        throw new TwirpError(400, "failed_precondition", "the artifact's blob was never uploaded");
      blob.sealed = true;
      artifact.finalized = true;
      artifact.size = Number(request.size ?? 0);
      artifact.digest = string(request.hash) || undefined;
      return { ok: true, artifact_id: String(artifact.id) };
    },
    ListArtifacts: (request, claims) => {
      const nameFilter = request.name_filter;
      const idFilter = request.id_filter;
      const listed = artifacts.filter(
        (a) =>
          a.runId === claims.runId &&
          a.finalized &&
          (typeof nameFilter !== "string" || a.name === nameFilter) &&
          (idFilter === undefined || idFilter === null || String(a.id) === String(idFilter)),
      );
      return {
        artifacts: listed.map((a) => ({
          workflow_run_backend_id: a.runId,
          workflow_job_run_backend_id: a.jobId,
          database_id: String(a.id),
          name: a.name,
          size: String(a.size),
          created_at: a.createdAt.toISOString(),
          ...(a.digest ? { digest: a.digest } : {}),
        })),
      };
    },
    GetSignedArtifactURL: (request, claims) => {
      const artifact = artifactOf(claims, string(request.name));
      if (!artifact?.finalized)
        throw new TwirpError(404, "not_found", `artifact ${string(request.name)} not found`);
      return { signed_url: signedUrl("r", artifact.blob) };
    },
    DeleteArtifact: (request, claims) => {
      const artifact = artifactOf(claims, string(request.name));
      if (!artifact) throw new TwirpError(404, "not_found", `artifact ${string(request.name)} not found`);
      artifacts.splice(artifacts.indexOf(artifact), 1);
      return { ok: true, artifact_id: String(artifact.id) };
    },
  };

  const writableScope = (claims: RuntimeClaims): CacheScope | undefined =>
    claims.cacheScopes.find((s) => s.permission === "readwrite");

  const cacheHandlers: Record<string, Handler> = {
    CreateCacheEntry: (request, claims) => {
      const scope = writableScope(claims);
      if (!scope) throw new TwirpError(403, "permission_denied", "this job may not write caches");
      const key = string(request.key);
      const version = string(request.version);
      if (entries.some((e) => e.scope === scope.scope && e.key === key && e.version === version))
        throw new TwirpError(
          409,
          "already_exists",
          `cache entry with the same key, version, and scope already exists: ${key}`,
        );
      const entry: CacheEntry = {
        id: nextId++,
        scope: scope.scope,
        key,
        version,
        size: 0,
        blob: newBlob(".cache"),
        finalized: false,
      };
      entries.push(entry);
      return { ok: true, signed_upload_url: signedUrl("w", entry.blob) };
    },
    FinalizeCacheEntryUpload: (request, claims) => {
      const scope = writableScope(claims);
      const entry = entries.find(
        (e) =>
          e.scope === scope?.scope && e.key === string(request.key) && e.version === string(request.version),
      );
      if (!entry || entry.finalized)
        return { ok: false, message: `no cache entry ${string(request.key)} is being uploaded` };
      const blob = blobs.get(entry.blob);
      if (!blob?.committed) return { ok: false, message: "the cache entry's blob was never uploaded" };
      blob.sealed = true;
      entry.finalized = true;
      entry.size = Number(request.size_bytes ?? 0);
      return { ok: true, entry_id: String(entry.id) };
    },
    GetCacheEntryDownloadURL: (request, claims) => {
      const key = string(request.key);
      const version = string(request.version);
      const restoreKeys = Array.isArray(request.restore_keys) ? request.restore_keys.map(string) : [];
      for (const { scope } of claims.cacheScopes) {
        const candidates = entries.filter((e) => e.finalized && e.scope === scope && e.version === version);
        const exact = candidates.find((e) => e.key === key);
        const match =
          exact ??
          restoreKeys
            .map(
              (prefix) => candidates.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.id - a.id)[0],
            )
            .find((e) => e !== undefined);
        if (match)
          return { ok: true, signed_download_url: signedUrl("r", match.blob), matched_key: match.key };
      }
      return { ok: false, signed_download_url: "", matched_key: "" };
    },
  };

  const services: Record<string, Record<string, Handler>> = {
    [ARTIFACT_SERVICE]: artifactHandlers,
    [CACHE_SERVICE]: cacheHandlers,
  };

  async function handleTwirp(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
  ): Promise<void> {
    const [, , service = "", method = ""] = path.split("/");
    calls.push(`${service.split(".").pop()}/${method}`);
    try {
      if (request.method !== "POST") throw new TwirpError(405, "bad_route", "twirp takes POST");
      const handler = services[service]?.[method];
      if (!handler) throw new TwirpError(404, "bad_route", `no method ${service}/${method}`);
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
      const claims = verifyRuntimeToken(secret, token);
      if (!claims) throw new TwirpError(401, "unauthenticated", "invalid ACTIONS_RUNTIME_TOKEN");
      const body = JSON.parse((await readBody(request)).toString("utf8") || "{}") as Json;
      sendJson(response, 200, handler(body, claims));
    } catch (error) {
      if (error instanceof TwirpError)
        sendJson(response, error.status, { code: error.code, msg: error.message });
      else sendJson(response, 500, { code: "internal", msg: String(error) });
    }
  }

  async function handleBlob(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const id = decodeURIComponent(url.pathname.slice("/goflow/blobs/".length));
    const blob = blobs.get(id);
    const permission = url.searchParams.get("sp");
    const write = request.method === "PUT";
    if (
      !blob ||
      permission !== (write ? "w" : "r") ||
      url.searchParams.get("sig") !== sign(write ? "w" : "r", id)
    ) {
      await readBody(request);
      return sendStorageError(
        response,
        403,
        "AuthenticationFailed",
        "the signature does not allow this request",
      );
    }
    if (write) {
      if (blob.sealed) {
        await readBody(request);
        return sendStorageError(response, 409, "BlobImmutable", "the blob was finalized and cannot change");
      }
      const comp = url.searchParams.get("comp");
      const contentType = header(request, "x-ms-blob-content-type");
      if (comp === "block") {
        const blockId = Buffer.from(url.searchParams.get("blockid") ?? "", "base64").toString("hex");
        await pipeline(request, createWriteStream(`${blob.path}.block-${blockId}`));
      } else if (comp === "blocklist") {
        const xml = (await readBody(request)).toString("utf8");
        const ids = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) =>
          Buffer.from(m[2] ?? "", "base64").toString("hex"),
        );
        const assembled = `${blob.path}.assembling`;
        writeFileSync(assembled, "");
        for (const blockId of ids) {
          const block = `${blob.path}.block-${blockId}`;
          if (!existsSync(block))
            return sendStorageError(response, 400, "InvalidBlockList", `no block ${blockId}`);
          appendFileSync(assembled, readFileSync(block));
          rmSync(block);
        }
        renameSync(assembled, blob.path);
        blob.committed = true;
        if (contentType) blob.contentType = contentType;
      } else if (comp === null) {
        await pipeline(request, createWriteStream(blob.path));
        blob.committed = true;
        blob.contentType = contentType || header(request, "content-type") || blob.contentType;
      } else {
        return sendStorageError(response, 400, "UnsupportedQueryParameter", `comp=${comp}`);
      }
      response.writeHead(201, storageHeaders(blob));
      response.end();
      return;
    }
    if (!blob.committed || !blob.sealed)
      return sendStorageError(response, 404, "BlobNotFound", "no such blob");
    const size = statSync(blob.path).size;
    const range = /^bytes=(\d+)-(\d*)$/.exec(header(request, "x-ms-range") || header(request, "range"));
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    const headers = {
      ...storageHeaders(blob),
      "content-type": blob.contentType,
      "content-length": String(Math.max(0, end - start + 1)),
      "accept-ranges": "bytes",
      "x-ms-blob-type": "BlockBlob",
      ...(range ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
    };
    response.writeHead(range ? 206 : 200, headers);
    if (request.method === "HEAD" || size === 0) {
      response.end();
      return;
    }
    await pipeline(createReadStream(blob.path, { start, end }), response);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", origin || "http://127.0.0.1");
    const handled = url.pathname.startsWith("/twirp/")
      ? handleTwirp(request, response, url.pathname)
      : url.pathname.startsWith("/goflow/blobs/")
        ? handleBlob(request, response, url)
        : Promise.resolve(sendJson(response, 404, { code: "bad_route", msg: url.pathname }));
    handled.catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { code: "internal", msg: String(error) });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  return {
    url: `${origin}/`,
    calls,
    runtimeEnv: (claims) => ({
      ACTIONS_RUNTIME_TOKEN: issueRuntimeToken(secret, claims),
      ACTIONS_RESULTS_URL: `${origin}/`,
      ACTIONS_CACHE_URL: `${origin}/`,
      ACTIONS_CACHE_SERVICE_V2: "True",
    }),
    artifacts: (runId) =>
      artifacts
        .filter((a) => a.runId === runId && a.finalized)
        .map(({ id, name, jobId, size, digest }) => ({ id, name, jobId, size, digest })),
    cacheEntries: () =>
      entries
        .filter((e) => e.finalized)
        .map(({ id, scope, key, version, size }) => ({ id, scope, key, version, size })),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(storage, { recursive: true, force: true });
    },
  };
}

/**
 * The cache scopes GitHub gives a job: its own ref (read and write), then,
 * for a pull request, its base branch, then the default branch (read only).
 */
export function cacheScopesFor(
  ref: string,
  options: { baseRef?: string; defaultBranch?: string } = {},
): CacheScope[] {
  const scopes: CacheScope[] = [{ scope: ref, permission: "readwrite" }];
  for (const branch of [options.baseRef, options.defaultBranch]) {
    if (!branch) continue;
    const scope = branch.startsWith("refs/") ? branch : `refs/heads/${branch}`;
    if (!scopes.some((s) => s.scope === scope)) scopes.push({ scope, permission: "read" });
  }
  return scopes;
}

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function storageHeaders(blob: Blob): Record<string, string> {
  const modified = existsSync(blob.path) ? statSync(blob.path).mtime : new Date();
  return {
    etag: `"0x${modified.getTime().toString(16).toUpperCase()}"`,
    "last-modified": modified.toUTCString(),
    "x-ms-request-id": randomBytes(8).toString("hex"),
    "x-ms-version": "2025-01-05",
    "x-ms-request-server-encrypted": "true",
  };
}

function sendStorageError(response: ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  response.writeHead(status, {
    "content-type": "application/xml",
    "x-ms-error-code": code,
    "content-length": Buffer.byteLength(xml),
  });
  response.end(xml);
}
