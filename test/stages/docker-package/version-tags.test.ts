import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingReporter } from "../../../src/runtime/reporter.js";
import { listVersionTags } from "../../../src/stages/docker-package/version-tags.js";

/** A stand-in for the GitHub tags API: two pages, and 401 without the right token. */
describe("listVersionTags", () => {
  let server: Server;
  let apiUrl: string;
  const requests: IncomingMessage[] = [];
  const dirs: string[] = [];
  const emptyDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "goflow-tags-"));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request);
      if (request.headers.authorization !== "token good-token") {
        response.writeHead(401).end('{"message":"Bad credentials"}');
        return;
      }
      const url = new URL(request.url ?? "/", apiUrl);
      if (url.pathname !== "/repos/acme/go-auth/tags") {
        response.writeHead(404).end("{}");
        return;
      }
      const page = url.searchParams.get("page") ?? "1";
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (page === "1") headers.link = `<${apiUrl}/repos/acme/go-auth/tags?per_page=100&page=2>; rel="next"`;
      const names = page === "1" ? ["v1.0.0", "v1.2.2"] : ["v2.0.0-rc.1"];
      response.writeHead(200, headers).end(JSON.stringify(names.map((name) => ({ name }))));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("reads every page from the API with the token", async () => {
    const reporter = new RecordingReporter();
    const tags = await listVersionTags({
      repository: "acme/go-auth",
      apiUrl: `${apiUrl}/`,
      token: "good-token",
      workspace: emptyDir(),
      reporter,
    });
    expect(tags).toEqual({ source: "github-api", names: ["v1.0.0", "v1.2.2", "v2.0.0-rc.1"] });
    expect(requests.at(-1)?.headers["x-github-api-version"]).toBe("2022-11-28");
  });

  it("falls back to git tag --list when the API refuses", async () => {
    const repo = emptyDir();
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { stdio: "ignore" });
    git("init", "-q");
    writeFileSync(join(repo, "a"), "a");
    git("add", "a");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "a");
    git("tag", "v0.9.0");
    const reporter = new RecordingReporter();
    const tags = await listVersionTags({
      repository: "acme/go-auth",
      apiUrl,
      token: "bad-token",
      workspace: repo,
      reporter,
    });
    expect(tags).toEqual({ source: "git", names: ["v0.9.0"] });
    expect(reporter.lines.join("\n")).toMatch(
      /could not list the tags of acme\/go-auth through the GitHub API \(401/,
    );
  });

  it("says so and returns none without a token or a checkout", async () => {
    const reporter = new RecordingReporter();
    const tags = await listVersionTags({
      repository: "acme/go-auth",
      apiUrl,
      token: undefined,
      workspace: emptyDir(),
      reporter,
    });
    expect(tags).toEqual({ source: "none", names: [] });
    expect(reporter.lines.join("\n")).toMatch(/no version tags available/);
  });
});
