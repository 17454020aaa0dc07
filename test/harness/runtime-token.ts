import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The runner's ACTIONS_RUNTIME_TOKEN, as the artifact and cache clients read
 * it: a JWT whose `scp` names the run and job (`Actions.Results:<run>:<job>`)
 * and whose `ac` lists the cache scopes the job may use, in the order it reads
 * them (its own ref first, writable; then the base and default branches, read
 * only). Signed with the service's secret, so a job cannot widen its scopes.
 */
export interface CacheScope {
  scope: string;
  permission: "read" | "readwrite";
}

export interface RuntimeClaims {
  runId: string;
  jobId: string;
  cacheScopes: CacheScope[];
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function issueRuntimeToken(secret: string, claims: RuntimeClaims): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      scp: `Actions.GenericRead:${claims.runId} Actions.Results:${claims.runId}:${claims.jobId}`,
      ac: JSON.stringify(
        claims.cacheScopes.map((s) => ({ Scope: s.scope, Permission: s.permission === "readwrite" ? 3 : 1 })),
      ),
      iat: Math.floor(Date.now() / 1000),
    }),
  );
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The claims of a token this secret signed; undefined for anything else. */
export function verifyRuntimeToken(secret: string, token: string): RuntimeClaims | undefined {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    scp?: string;
    ac?: string;
  };
  const results = (body.scp ?? "").split(" ").find((part) => part.startsWith("Actions.Results:"));
  const [, runId, jobId] = results?.split(":") ?? [];
  if (!runId || !jobId) return undefined;
  const scopes = JSON.parse(body.ac ?? "[]") as { Scope: string; Permission: number }[];
  return {
    runId,
    jobId,
    cacheScopes: scopes.map((s) => ({ scope: s.Scope, permission: s.Permission & 2 ? "readwrite" : "read" })),
  };
}
