import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * A GitOps remote for tests: a bare repository seeded with files, reachable
 * over file:// and, with a token, over HTTP on 127.0.0.1 through git's own
 * http-backend (CGI), which accepts only `x-access-token:<token>` as Basic
 * credentials, as GitHub does for a token.
 */
export interface GitRemote {
  root: string;
  bare: string;
  fileUrl: string;
  /** Set after serveHttp. */
  httpUrl?: string;
  /** The branch's file at its head. */
  show(path: string, branch?: string): string;
  /** Subjects of the branch's commits, newest first. */
  log(branch?: string): string[];
  /** Every Authorization header the HTTP server saw. */
  seenAuthorizations: string[];
  serveHttp(token: string): Promise<string>;
  close(): Promise<void>;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
  }).trim();

export function createGitRemote(files: Record<string, string>, branch = "main"): GitRemote {
  const root = mkdtempSync(join(tmpdir(), "goflow-gitops-remote-"));
  const bare = join(root, "env.git");
  const seed = join(root, "seed");
  mkdirSync(seed);
  git(root, "init", "--quiet", "--bare", "--initial-branch", branch, bare);
  git(seed, "init", "--quiet", "--initial-branch", branch);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), text);
  }
  git(seed, "add", ".");
  git(seed, "-c", "user.name=seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", "seed");
  git(seed, "push", "--quiet", bare, `HEAD:refs/heads/${branch}`);
  git(bare, "config", "http.receivepack", "true");
  let server: Server | undefined;
  const seenAuthorizations: string[] = [];
  const remote: GitRemote = {
    root,
    bare,
    fileUrl: `file://${bare}`,
    seenAuthorizations,
    show: (path, ref = branch) =>
      execFileSync("git", ["show", `${ref}:${path}`], { cwd: bare, encoding: "utf8" }),
    log: (ref = branch) => git(bare, "log", "--format=%s", ref).split("\n").filter(Boolean),
    async serveHttp(token) {
      const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
      server = createServer((request, response) => {
        seenAuthorizations.push(request.headers.authorization ?? "");
        if (request.headers.authorization !== expected) {
          response.writeHead(401, { "www-authenticate": 'Basic realm="gitops"' }).end();
          return;
        }
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        const cgi = spawn("git", ["http-backend"], {
          env: {
            ...process.env,
            GIT_PROJECT_ROOT: root,
            GIT_HTTP_EXPORT_ALL: "1",
            REMOTE_USER: "x-access-token",
            REQUEST_METHOD: request.method ?? "GET",
            PATH_INFO: decodeURIComponent(url.pathname),
            QUERY_STRING: url.search.slice(1),
            CONTENT_TYPE: request.headers["content-type"] ?? "",
            ...(request.headers["content-encoding"]
              ? { HTTP_CONTENT_ENCODING: request.headers["content-encoding"] }
              : {}),
            GIT_PROTOCOL: String(request.headers["git-protocol"] ?? ""),
          },
        });
        request.pipe(cgi.stdin);
        let head = Buffer.alloc(0);
        let headersSent = false;
        cgi.stdout.on("data", (chunk: Buffer) => {
          if (headersSent) {
            response.write(chunk);
            return;
          }
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf("\r\n\r\n");
          if (end < 0) return;
          const lines = head.subarray(0, end).toString("utf8").split("\r\n");
          let status = 200;
          const headers: Record<string, string> = {};
          for (const line of lines) {
            const colon = line.indexOf(":");
            const name = line.slice(0, colon).trim();
            const value = line.slice(colon + 1).trim();
            if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
            else headers[name] = value;
          }
          response.writeHead(status, headers);
          headersSent = true;
          response.write(head.subarray(end + 4));
        });
        cgi.on("close", () => response.end());
      });
      await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      remote.httpUrl = `http://127.0.0.1:${port}/env.git`;
      return remote.httpUrl;
    },
    async close() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return remote;
}
