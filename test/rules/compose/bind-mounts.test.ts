import { describe, expect, it } from "vitest";
import {
  type ComposeConfig,
  cleanupImages,
  type DataFolder,
  listProjectBindMounts,
  type ProjectBindMount,
  planDataFolders,
  redirectDataFolders,
  type SourceKind,
} from "../../../src/rules/compose/index.js";

const PROJECT = "/work/app";

function bind(source: string, target: string, readOnly = false): Record<string, unknown> {
  return {
    type: "bind",
    source,
    target,
    ...(readOnly ? { read_only: true } : {}),
    bind: { create_host_path: true },
  };
}

const config: ComposeConfig = {
  services: {
    db: {
      image: "postgres:16",
      volumes: [
        bind("/work/app/database-data", "/var/lib/postgresql/data"),
        bind("/work/app/init", "/docker-entrypoint-initdb.d", true),
        { type: "volume", source: "cache", target: "/cache" },
      ],
    },
    api: {
      image: "api:dev",
      volumes: [
        bind("/work/app/database-data", "/data"),
        bind("/var/run/docker.sock", "/var/run/docker.sock"),
        bind("/work/app", "/src"),
        bind("/work/app/config.json", "/etc/api/config.json"),
      ],
    },
    web: { image: "nginx" },
  },
};

describe("listProjectBindMounts", () => {
  it("lists bind mounts inside the project, not host paths, the project itself or volumes", () => {
    expect(listProjectBindMounts(config, PROJECT)).toEqual<ProjectBindMount[]>([
      { service: "api", index: 0, source: "/work/app/database-data", target: "/data", readOnly: false },
      {
        service: "api",
        index: 3,
        source: "/work/app/config.json",
        target: "/etc/api/config.json",
        readOnly: false,
      },
      {
        service: "db",
        index: 0,
        source: "/work/app/database-data",
        target: "/var/lib/postgresql/data",
        readOnly: false,
      },
      {
        service: "db",
        index: 1,
        source: "/work/app/init",
        target: "/docker-entrypoint-initdb.d",
        readOnly: true,
      },
    ]);
  });

  it("does not take a sibling folder with the same prefix for the project", () => {
    const sibling: ComposeConfig = { services: { a: { volumes: [bind("/work/app-data", "/d")] } } };
    expect(listProjectBindMounts(sibling, PROJECT)).toEqual([]);
  });
});

describe("planDataFolders", () => {
  const mounts = listProjectBindMounts(config, PROJECT);
  const kinds = (entries: [string, SourceKind][]) => new Map(entries);
  const display = (source: string) => source.replace(`${PROJECT}/`, "./");

  it("copies a read-write folder once for every service that mounts it; files and read-only mounts stay", () => {
    const plan = planDataFolders(
      mounts,
      kinds([
        ["/work/app/database-data", "directory"],
        ["/work/app/config.json", "file"],
        ["/work/app/init", "directory"],
      ]),
    );
    expect(plan).toEqual<DataFolder[]>([
      { source: "/work/app/database-data", copy: true, services: ["api", "db"] },
    ]);
  });

  it("gives a missing data folder an empty copy", () => {
    const plan = planDataFolders(
      mounts,
      kinds([
        ["/work/app/database-data", "missing"],
        ["/work/app/config.json", "file"],
        ["/work/app/init", "directory"],
      ]),
    );
    expect(plan).toEqual<DataFolder[]>([
      { source: "/work/app/database-data", copy: false, services: ["api", "db"] },
    ]);
  });

  it.each<[string, [string, SourceKind][], RegExp]>([
    [
      "a missing file",
      [
        ["/work/app/database-data", "directory"],
        ["/work/app/config.json", "missing"],
        ["/work/app/init", "directory"],
      ],
      /^service 'api' bind-mounts \.\/config\.json \(to \/etc\/api\/config\.json\), which does not exist; .*Add the file/,
    ],
    [
      "a missing read-only folder",
      [
        ["/work/app/database-data", "directory"],
        ["/work/app/config.json", "file"],
        ["/work/app/init", "missing"],
      ],
      /^service 'db' bind-mounts \.\/init \(to \/docker-entrypoint-initdb\.d\), which does not exist; .*Add the folder/,
    ],
  ])("rejects %s", (_, entries, message) => {
    expect(() => planDataFolders(mounts, kinds(entries), display)).toThrow(message);
  });
});

describe("redirectDataFolders", () => {
  it("points read-write mounts at the copy and leaves the rest and the input alone", () => {
    const before = structuredClone(config);
    const out = redirectDataFolders(
      config,
      new Map([["/work/app/database-data", "/tmp/run/env/data/1-database-data"]]),
    );
    expect(config).toEqual(before);
    expect(out.services.db?.volumes?.[0]).toEqual({
      type: "bind",
      source: "/tmp/run/env/data/1-database-data",
      target: "/var/lib/postgresql/data",
      bind: { create_host_path: false },
    });
    expect(out.services.api?.volumes?.[0]).toMatchObject({ source: "/tmp/run/env/data/1-database-data" });
    expect(out.services.db?.volumes?.[1]).toEqual(config.services.db?.volumes?.[1]);
    expect(out.services.api?.volumes?.[3]).toEqual(config.services.api?.volumes?.[3]);
  });
});

describe("cleanupImages", () => {
  it("puts the images of the mounting services first, without repeats", () => {
    const folders: DataFolder[] = [{ source: "/work/app/database-data", copy: true, services: ["db"] }];
    expect(cleanupImages(config, folders)).toEqual(["postgres:16", "api:dev", "nginx"]);
  });
});
