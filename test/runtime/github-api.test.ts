import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTagNames } from "../../src/runtime/github-api.js";

/**
 * A stand-in for the GitHub REST API's `GET /repos/{owner}/{repo}/tags`, at
 * the root (github.com) and under /api/v3 (GitHub Enterprise Server): 401
 * without `token good-token`, pages chained by `Link: <...>; rel="next"`.
 */
const TAGS: Record<string, string[][]> = {
  "acme/go-auth": [["v1.0.0", "v1.2.2"], ["v2.0.0-rc.1"], ["v2.0.0"]],
  "acme/no-tags": [[]],
};

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

describe("listTagNames", () => {
  let server: Server;
  let root: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", root);
      seen.push({ path: `${url.pathname}${url.search}`, headers: request.headers });
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        response
          .writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers })
          .end(JSON.stringify(body));
      if (request.headers.authorization !== "token good-token")
        return json(401, { message: "Bad credentials" });
      const prefix = url.pathname.startsWith("/api/v3/") ? "/api/v3" : "";
      const match = /^\/repos\/([^/]+\/[^/]+)\/tags$/.exec(url.pathname.slice(prefix.length));
      const repository = match?.[1] ?? "";
      const page = Number(url.searchParams.get("page") ?? "1");
      const next = (n: number) => ({
        link: `<${root}${prefix}/repos/${repository}/tags?per_page=100&page=${n}>; rel="next", <${root}${prefix}/repos/${repository}/tags?per_page=100&page=99>; rel="last"`,
      });
      switch (repository) {
        case "acme/endless":
          return json(200, [{ name: `v0.0.${page}` }], next(page + 1));
        case "acme/broken":
          return json(500, { message: "Server Error" });
        case "acme/empty":
          // What GitHub says of a repository without commits; paginate alone would take it for no tags.
          return json(409, { message: "Git Repository is empty." });
        case "acme/odd":
          return json(200, { message: "not a list" });
        case "acme/text":
          return response.writeHead(200, { "content-type": "text/plain" }).end("v1.0.0");
        case "acme/silent":
          return; // never answers
        case "acme/stalls":
          response.writeHead(200, { "content-type": "application/json" });
          response.write('[{"name":');
          return; // never ends the body
      }
      const pages = TAGS[repository];
      const names = pages?.[page - 1];
      if (!pages || !names) return json(404, { message: "Not Found" });
      return json(
        200,
        names.map((name) => ({ name, commit: { sha: "89abcde", url: "" } })),
        page < pages.length ? next(page + 1) : {},
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const since = () => {
    const start = seen.length;
    return () => seen.slice(start);
  };

  it.each([
    ["github.com", "", ""],
    ["github.com, trailing slash", "/", ""],
    ["GitHub Enterprise Server", "/api/v3", "/api/v3"],
    ["GitHub Enterprise Server, trailing slashes", "/api/v3//", "/api/v3"],
  ])("reads every page, following Link rel=next (%s)", async (_, apiPath, prefix) => {
    const requests = since();
    const names = await listTagNames({
      repository: "acme/go-auth",
      apiUrl: `${root}${apiPath}`,
      token: "good-token",
    });
    expect(names).toEqual(["v1.0.0", "v1.2.2", "v2.0.0-rc.1", "v2.0.0"]);
    expect(requests().map((request) => request.path)).toEqual([
      `${prefix}/repos/acme/go-auth/tags?per_page=100`,
      `${prefix}/repos/acme/go-auth/tags?per_page=100&page=2`,
      `${prefix}/repos/acme/go-auth/tags?per_page=100&page=3`,
    ]);
    for (const { headers } of requests()) {
      expect(headers).toMatchObject({
        authorization: "token good-token",
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
      });
      expect(headers["user-agent"]).toMatch(/^goflow-actions /);
    }
  });

  it("returns no names for a repository without tags", async () => {
    await expect(
      listTagNames({ repository: "acme/no-tags", apiUrl: root, token: "good-token" }),
    ).resolves.toEqual([]);
  });

  it.each([
    [1, ["v0.0.1"]],
    [3, ["v0.0.1", "v0.0.2", "v0.0.3"]],
    [0, []],
  ])("stops after maxPages = %i, however many pages GitHub has", async (maxPages, expected) => {
    const requests = since();
    const names = await listTagNames({
      repository: "acme/endless",
      apiUrl: root,
      token: "good-token",
      maxPages,
    });
    expect(names).toEqual(expected);
    expect(requests()).toHaveLength(maxPages);
  });

  it.each([
    [
      "a wrong token",
      "acme/go-auth",
      "bad-token",
      /^401 Unauthorized from http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/go-auth\/tags\?per_page=100$/,
    ],
    [
      "an unknown repository",
      "acme/nothing",
      "good-token",
      /^404 Not Found from http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/nothing\/tags\?per_page=100$/,
    ],
    ["a server error", "acme/broken", "good-token", /^500 Internal Server Error from /],
    ["an empty repository (409)", "acme/empty", "good-token", /^409 Conflict from /],
    [
      "an answer that is not a list",
      "acme/odd",
      "good-token",
      /^unexpected answer from http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/odd\/tags\?per_page=100$/,
    ],
    ["an answer that is not JSON", "acme/text", "good-token", /^unexpected answer from /],
    ["a repository that is not owner/name", "acme", "good-token", /^repository "acme" is not owner\/name$/],
  ])("throws for %s", async (_, repository, token, message) => {
    await expect(listTagNames({ repository, apiUrl: root, token })).rejects.toThrow(message);
  });

  it.each([
    ["no answer", "acme/silent"],
    ["a body that stops halfway", "acme/stalls"],
  ])("gives up after timeoutMs on %s", async (_, repository) => {
    const started = performance.now();
    await expect(
      listTagNames({ repository, apiUrl: root, token: "good-token", timeoutMs: 300 }),
    ).rejects.toThrow(/^no response within 300 ms$/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("says what went wrong when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      listTagNames({ repository: "acme/go-auth", apiUrl: `http://127.0.0.1:${port}`, token: "good-token" }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
