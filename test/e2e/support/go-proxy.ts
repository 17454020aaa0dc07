import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { crc32 } from "node:zlib";

/**
 * A Go module proxy (the GOPROXY protocol: `<module>/@v/<version>.info|.mod|.zip`)
 * on 127.0.0.1, serving the modules under test/fixtures/go/proxy/<module>@<version>/.
 * There is no public proxy here; this one also proves that Go in the builder
 * container reaches a proxy on the runner's localhost.
 */
export interface GoModuleProxy {
  url: string;
  /** Request paths served so far, e.g. `/example.com/greet/@v/v1.0.0.zip`. */
  requests: string[];
  /** go.sum lines for every served module, computed from the bytes it serves. */
  goSum: string;
  close(): Promise<void>;
}

interface ServedModule {
  path: string;
  version: string;
  goMod: Buffer;
  zip: Buffer;
  files: { name: string; data: Buffer }[];
}

export async function startGoModuleProxy(root: string): Promise<GoModuleProxy> {
  const modules = readdirSync(root).flatMap((host) =>
    readdirSync(join(root, host)).map((entry) => loadModule(join(root, host, entry), `${host}/${entry}`)),
  );
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? "";
    requests.push(path);
    const match = /^\/(.+)\/@v\/(.+)\.(info|mod|zip)$/.exec(path);
    const module = modules.find((m) => match && m.path === match[1] && m.version === match[2]);
    if (!match || !module) {
      response.writeHead(404).end("not found");
      return;
    }
    const body =
      match[3] === "info"
        ? JSON.stringify({ Version: module.version, Time: "2026-01-01T00:00:00Z" })
        : match[3] === "mod"
          ? module.goMod
          : module.zip;
    response.writeHead(200).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    goSum: modules
      .flatMap((m) => [
        `${m.path} ${m.version} ${hash1(m.files)}`,
        `${m.path} ${m.version}/go.mod ${hash1([{ name: "go.mod", data: m.goMod }])}`,
      ])
      .map((line) => `${line}\n`)
      .join(""),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function loadModule(dir: string, pathAtVersion: string): ServedModule {
  const [path = "", version = ""] = pathAtVersion.split("@");
  const files = readdirSync(dir)
    .sort()
    .map((name) => ({ name: `${pathAtVersion}/${name}`, data: readFileSync(join(dir, name)) }));
  return { path, version, goMod: readFileSync(join(dir, "go.mod")), zip: storedZip(files), files };
}

/** Go's `h1:` hash (golang.org/x/mod/sumdb/dirhash.Hash1) of a module's files. */
function hash1(files: { name: string; data: Buffer }[]): string {
  const summary = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => `${createHash("sha256").update(f.data).digest("hex")}  ${f.name}\n`)
    .join("");
  return `h1:${createHash("sha256").update(summary).digest("base64")}`;
}

/** A zip of uncompressed entries: all a module zip needs. */
function storedZip(files: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name);
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(file.data.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(file.data.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, file.data);
    centrals.push(central, name);
    offset += local.length + name.length + file.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
