import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpRequestError, sendHttpRequest, startRequestDeadline } from "../../src/runtime/http.js";
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
      headers: {},
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
      headers: {},
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
