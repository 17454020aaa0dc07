import { spawn } from "node:child_process";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HttpRequest,
  HttpRequestError,
  sendHttpRequest,
  startRequestDeadline,
} from "../../src/runtime/http.js";
import { bundleFixture } from "../harness/bundle-fixture.js";
import { nodeBinary } from "../harness/node-binary.js";

/**
 * A service whose port is published before anything listens behind it: the
 * proxy accepts each connection and closes it at once, until the service is
 * up (here: the first `refusals` connections), then it answers 200.
 */
function startLateService(refusals: number): Promise<{ server: Server; url: string }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    if (connections <= refusals) {
      socket.end();
      return;
    }
    socket.once("data", () =>
      socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"),
    );
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/health` });
    });
  });
}

/** Runs a polling fixture on a pinned Node against a fresh late service. */
async function poll(fixture: string, major: string) {
  const { server, url } = await startLateService(5);
  try {
    return await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(nodeBinary(major), [fixture, url], { stdio: ["ignore", "pipe", "inherit"] });
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
      });
      child.on("close", (code) => resolve({ code, stdout }));
    });
  } finally {
    server.close();
  }
}

describe("a pending request keeps the process alive", () => {
  let pollHttp: string;
  let pollFetch: string;
  beforeAll(async () => {
    pollHttp = await bundleFixture("test/fixtures/entries/poll-http.ts");
    pollFetch = await bundleFixture("test/fixtures/entries/poll-fetch.ts");
  });

  it.each(["20", "22", "24"])(
    "sendHttpRequest polls through closed connections until the service answers, on Node %s",
    async (major) => {
      const result = await poll(pollHttp, major);
      expect(result.stdout).toMatch(/^ready: 200 after \d+ attempts$/m);
      expect(result.code).toBe(0);
    },
  );

  // The control: what the runtime did before (fetch with AbortSignal.timeout, whose timer is
  // unref'd). On Node 20 the loop drains mid-request and the process exits 0 having done nothing,
  // which is what the test above would catch if sendHttpRequest regressed to it.
  it("plain fetch with AbortSignal.timeout ends Node 20 with exit code 0 and no answer", async () => {
    const result = await poll(pollFetch, "20");
    expect(result.stdout).not.toContain("ready");
    expect(result.code).toBe(0);
  });
});

describe("sendHttpRequest", () => {
  let server: Server;
  let url: string;
  afterAll(() => server?.close());

  it("gives up after its time limit, and says so", async () => {
    server = createServer(() => {
      // accepts and never answers
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
    const error = await sendHttpRequest({
      method: "GET",
      url,
      headers: [],
      body: undefined,
      timeoutMs: 200,
      followRedirects: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).timedOut).toBe(true);
    expect((error as HttpRequestError).message).toBe(`GET ${url}: no response within 200 ms`);
  });

  it("is aborted by the run's signal, which is not a timeout", async () => {
    const cancel = new AbortController();
    const pending = sendHttpRequest({
      method: "GET",
      url,
      headers: [],
      body: undefined,
      timeoutMs: 10_000,
      followRedirects: false,
      signal: cancel.signal,
    }).catch((e: unknown) => e);
    cancel.abort();
    const error = (await pending) as HttpRequestError;
    expect(error.timedOut).toBe(false);
    expect(error.message).toMatch(/aborted \(the run was cancelled\)/);
  });
});

/** What arrived at the server, exactly: the request line's parts, the raw header lines, the body. */
interface Arrival {
  method: string;
  path: string;
  rawHeaders: string[];
  body: string;
}

/**
 * A local service on 127.0.0.1 that records every request and answers with
 * `answer` (200 "ok" unless it says otherwise).
 */
async function startRecordingServer(
  answer: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => response.end("ok"),
) {
  const arrivals: Arrival[] = [];
  const server = createHttpServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      arrivals.push({
        method: request.method ?? "",
        path: request.url ?? "",
        rawHeaders: request.rawHeaders,
        body,
      });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { server, base, arrivals };
}

/** Raw header lines as `Name: value`, without the Connection line Node adds. */
function headerLines(arrival: Arrival | undefined): string[] {
  const raw = arrival?.rawHeaders ?? [];
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  return lines.filter((line) => !line.toLowerCase().startsWith("connection:"));
}

describe("sendHttpRequest sends what curl sends", () => {
  const servers: { close(): void }[] = [];
  afterAll(() => {
    for (const server of servers) server.close();
  });
  const send = (overrides: Partial<HttpRequest> & { url: string }) =>
    sendHttpRequest({
      method: "GET",
      headers: [],
      body: undefined,
      timeoutMs: 5_000,
      followRedirects: false,
      ...overrides,
    });

  it.each<
    [string, Partial<HttpRequest>, Omit<Arrival, "rawHeaders"> & { lines: (base: string) => string[] }]
  >([
    [
      "repeated headers as separate lines, in order, names as written",
      {
        headers: [
          { name: "X-Tag", value: "a" },
          { name: "Accept", value: "text/html" },
          { name: "x-tag", value: "b" },
        ],
      },
      {
        method: "GET",
        path: "/p",
        body: "",
        lines: (base) => [`Host: ${base.slice(7)}`, "X-Tag: a", "Accept: text/html", "x-tag: b"],
      },
    ],
    [
      "the spec's Host instead of the URL's",
      { headers: [{ name: "Host", value: "api.example.com" }] },
      { method: "GET", path: "/p", body: "", lines: () => ["Host: api.example.com"] },
    ],
    [
      "a GET with a body",
      {
        headers: [{ name: "Content-Type", value: "application/json" }],
        body: '{"query":{"match_all":{}}}',
      },
      {
        method: "GET",
        path: "/p",
        body: '{"query":{"match_all":{}}}',
        lines: (base) => [`Host: ${base.slice(7)}`, "Content-Length: 26", "Content-Type: application/json"],
      },
    ],
    [
      "an empty header and a UTF-8 body counted in bytes",
      { method: "PUT", headers: [{ name: "X-Empty", value: "" }], body: "€" },
      {
        method: "PUT",
        path: "/p",
        body: "€",
        lines: (base) => [`Host: ${base.slice(7)}`, "Content-Length: 3", "X-Empty: "],
      },
    ],
    [
      "a POST without a body, with a length of 0 rather than chunks",
      { method: "POST" },
      {
        method: "POST",
        path: "/p",
        body: "",
        lines: (base) => [`Host: ${base.slice(7)}`, "Content-Length: 0"],
      },
    ],
  ])("%s", async (_, request, expected) => {
    const { server, base, arrivals } = await startRecordingServer();
    servers.push(server);
    const response = await send({ url: `${base}/p`, ...request });
    expect(response.status).toBe(200);
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toMatchObject({ method: expected.method, path: expected.path, body: expected.body });
    expect(headerLines(arrivals[0])).toEqual(expected.lines(base));
  });

  it("gives response header names in lower case, repeated ones joined", async () => {
    const { server, base } = await startRecordingServer((_, response) => {
      response.setHeader("X-Mixed-Case", "v");
      response.setHeader("Set-Cookie", ["a=1", "b=2"]);
      response.end("body");
    });
    servers.push(server);
    const response = await send({ url: `${base}/` });
    expect(response.headers).toMatchObject({ "x-mixed-case": "v", "set-cookie": "a=1, b=2" });
    expect(response.body).toBe("body");
    expect(response.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("follows redirects only when asked, a 303 as a GET without the body", async () => {
    const { server, base, arrivals } = await startRecordingServer((request, response) => {
      if (request.url === "/from") {
        response.writeHead(303, { Location: "/to" }).end();
      } else response.end("arrived");
    });
    servers.push(server);
    const stay = await send({ method: "POST", url: `${base}/from`, body: "x=1" });
    expect(stay).toMatchObject({ status: 303, headers: { location: "/to" } });
    const follow = await send({ method: "POST", url: `${base}/from`, body: "x=1", followRedirects: true });
    expect(follow).toMatchObject({ status: 200, body: "arrived" });
    expect(arrivals.map((arrival) => `${arrival.method} ${arrival.path} ${arrival.body}`)).toEqual([
      "POST /from x=1",
      "POST /from x=1",
      "GET /to ",
    ]);
  });

  it("says the connection was refused", async () => {
    const { server, base } = await startRecordingServer();
    await new Promise((resolve) => server.close(resolve));
    const error = (await send({ url: `${base}/` }).catch((e: unknown) => e)) as HttpRequestError;
    expect(error).toBeInstanceOf(HttpRequestError);
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(error.timedOut).toBe(false);
  });

  it("says the other side closed the connection before answering", async () => {
    const { server, url } = await startLateService(1_000);
    servers.push(server);
    const error = (await send({ url }).catch((e: unknown) => e)) as HttpRequestError;
    expect(error.message).toBe(
      `GET ${url}: the other side closed the connection before answering (ECONNRESET)`,
    );
  });
});

describe("startRequestDeadline", () => {
  it("is already aborted when the run's signal is", () => {
    const cancel = new AbortController();
    cancel.abort();
    const deadline = startRequestDeadline(1_000, cancel.signal);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut()).toBe(false);
    deadline.clear();
  });
});
