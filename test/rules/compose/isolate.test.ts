import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../src/errors.js";
import {
  type ComposeConfig,
  type ComposePort,
  EPHEMERAL_HOST_IP,
  type IsolateOptions,
  isolateComposeConfig,
} from "../../../src/rules/compose/index.js";
import { fixtureConfig } from "./fixtures.js";

const RUN = { key: "io.goflow.run", value: "12345-1-9f8e7d6c" };
const OPTIONS: IsolateOptions = { runLabel: RUN };

function isolate(config: ComposeConfig, options: Partial<IsolateOptions> = {}) {
  return isolateComposeConfig(config, { ...OPTIONS, ...options });
}

const FIXTURES = [
  "config-goauth.json",
  "config-goauth-merged.json",
  "config-port-edge-cases.json",
  "config-minimal.json",
];

describe("isolateComposeConfig: invariants on real compose output", () => {
  it.each(FIXTURES)("%s: every port ephemeral on loopback, target and protocol kept", (file) => {
    const input = fixtureConfig(file);
    const { config } = isolate(input);
    for (const [name, service] of Object.entries(config.services)) {
      const before = input.services[name]!.ports ?? [];
      const after = service.ports ?? [];
      expect(after.map((p) => [p.target, p.protocol])).toEqual(before.map((p) => [p.target, p.protocol]));
      for (const port of after) {
        expect(port.published).toBeUndefined();
        expect(port.host_ip).toBe(EPHEMERAL_HOST_IP);
      }
    }
  });

  it.each(FIXTURES)("%s: no project name, no container_name, run label on every service", (file) => {
    const { config } = isolate(fixtureConfig(file));
    expect(config.name).toBeUndefined();
    for (const service of Object.values(config.services)) {
      expect(service.container_name).toBeUndefined();
      expect(service.labels).toMatchObject({ [RUN.key]: RUN.value });
    }
  });

  it.each(FIXTURES)("%s: own networks and volumes labelled and unnamed, external ones untouched", (file) => {
    const input = fixtureConfig(file);
    const { config } = isolate(input);
    for (const kind of ["networks", "volumes"] as const) {
      for (const [key, resource] of Object.entries(config[kind] ?? {})) {
        if (input[kind]?.[key]?.external === true) {
          expect(resource).toEqual(input[kind]?.[key]);
        } else {
          expect(resource?.name).toBeUndefined();
          expect(resource?.labels).toMatchObject({ [RUN.key]: RUN.value });
        }
      }
    }
  });

  it.each(FIXTURES)("%s: the input is not modified", (file) => {
    const input = fixtureConfig(file);
    const copy = structuredClone(input);
    isolate(input, { images: { [Object.keys(input.services)[0]!]: "x:1" }, extraLabels: { a: "b" } });
    expect(input).toEqual(copy);
  });

  it("keeps everything it does not rewrite", () => {
    const input = fixtureConfig("config-goauth-merged.json");
    const { config } = isolate({ ...input, "x-custom": { keep: true } });
    const goauth = config.services.goauth!;
    expect(config["x-custom"]).toEqual({ keep: true });
    expect(goauth.depends_on).toEqual(input.services.goauth!.depends_on);
    expect(goauth.environment).toEqual({ LOG_LEVEL: "info", REDIS_ADDR: "redis:6379" });
    expect(goauth.healthcheck).toEqual(input.services.goauth!.healthcheck);
    // The removed container_name lives on as an alias.
    expect(goauth.networks).toEqual({ backend: { aliases: ["goauth"] } });
    expect(config.services.redis!.volumes).toEqual(input.services.redis!.volumes);
    expect(config.networks?.backend).toMatchObject({ driver: "bridge", ipam: {} });
    expect(config.services.migrate!.command).toEqual(input.services.migrate!.command);
  });
});

describe("isolateComposeConfig: ports", () => {
  it.each<[string, ComposePort, ComposePort]>([
    [
      "fixed port on all interfaces",
      { mode: "ingress", target: 9000, published: "9000", protocol: "tcp" },
      { mode: "ingress", target: 9000, protocol: "tcp", host_ip: "127.0.0.1" },
    ],
    [
      "fixed port on 0.0.0.0, udp",
      { mode: "ingress", host_ip: "0.0.0.0", target: 53, published: "5353", protocol: "udp" },
      { mode: "ingress", host_ip: "127.0.0.1", target: 53, protocol: "udp" },
    ],
    [
      "published range for one target",
      { mode: "ingress", target: 80, published: "8000-8010", protocol: "tcp" },
      { mode: "ingress", target: 80, protocol: "tcp", host_ip: "127.0.0.1" },
    ],
    [
      "already ephemeral, all interfaces",
      { mode: "ingress", target: 6379, protocol: "tcp" },
      { mode: "ingress", target: 6379, protocol: "tcp", host_ip: "127.0.0.1" },
    ],
    [
      "IPv6 loopback",
      { mode: "ingress", host_ip: "::1", target: 82, published: "8080", protocol: "tcp" },
      { mode: "ingress", host_ip: "127.0.0.1", target: 82, protocol: "tcp" },
    ],
    [
      "published as a number, name and app_protocol kept",
      { name: "web", mode: "host", target: 83, published: 8083, protocol: "tcp", app_protocol: "http" },
      { name: "web", mode: "host", target: 83, protocol: "tcp", app_protocol: "http", host_ip: "127.0.0.1" },
    ],
    [
      "published '0' (compose's own ephemeral)",
      { target: 84, published: "0", host_ip: "127.0.0.1" },
      { target: 84, host_ip: "127.0.0.1" },
    ],
    ["published '' with no protocol", { target: 85, published: "" }, { target: 85, host_ip: "127.0.0.1" }],
  ])("%s", (_, port, expected) => {
    const { config } = isolate({ services: { api: { ports: [port] } } });
    expect(config.services.api!.ports).toEqual([expected]);
  });

  it("rewrites a range that compose expanded into one entry per port (merged files)", () => {
    const { config } = isolate(fixtureConfig("config-goauth-merged.json"));
    expect(config.services.goauth!.ports).toEqual([
      { mode: "ingress", target: 9000, protocol: "tcp", host_ip: "127.0.0.1" },
      { mode: "ingress", target: 9090, protocol: "tcp", host_ip: "127.0.0.1" },
      { mode: "ingress", target: 9001, protocol: "tcp", host_ip: "127.0.0.1" },
      { mode: "ingress", target: 9002, protocol: "tcp", host_ip: "127.0.0.1" },
      { mode: "ingress", target: 9003, protocol: "tcp", host_ip: "127.0.0.1" },
      { mode: "ingress", target: 53, protocol: "udp", host_ip: "127.0.0.1" },
    ]);
  });

  it.each<[string, ComposeConfig]>([
    ["a service without ports", { services: { worker: { image: "alpine" } } }],
    ["a service with empty ports", { services: { worker: { image: "alpine", ports: [] } } }],
    [
      "a port already ephemeral on loopback",
      { services: { worker: { ports: [{ target: 1, host_ip: "127.0.0.1", protocol: "tcp" }] } } },
    ],
  ])("reports no port change for %s", (_, input) => {
    const { config, changes } = isolate(input);
    expect(config.services.worker!.ports).toEqual(input.services.worker!.ports);
    expect(changes.filter((c) => c.includes("port"))).toEqual([]);
  });
});

describe("isolateComposeConfig: images", () => {
  it.each<[string, Record<string, string>, string, Record<string, unknown>]>([
    [
      "a service with image and build",
      { goauth: "goauth:sha-0123456" },
      "goauth",
      { image: "goauth:sha-0123456", build: undefined, pull_policy: "never" },
    ],
    [
      "a service with image only",
      { redis: "redis:7.2" },
      "redis",
      { image: "redis:7.2", build: undefined, pull_policy: "never" },
    ],
    [
      "a registry image with a digest",
      { redis: "ghcr.io/acme/redis@sha256:abc" },
      "redis",
      { image: "ghcr.io/acme/redis@sha256:abc", pull_policy: "never" },
    ],
  ])("%s", (_, images, service, expected) => {
    const { config } = isolate(fixtureConfig("config-goauth.json"), { images });
    const rewritten = config.services[service]!;
    for (const [key, value] of Object.entries(expected)) expect(rewritten[key]).toEqual(value);
  });

  it("does not take a service called 'constructor' for one named in images", () => {
    const { config, changes } = isolate({ services: { constructor: { image: "c:1" } } }, { images: {} });
    expect(config.services.constructor).toEqual({ image: "c:1", labels: { [RUN.key]: RUN.value } });
    expect(changes.some((c) => c.includes("image"))).toBe(false);
  });

  it("leaves services not named in images alone", () => {
    const input = fixtureConfig("config-goauth.json");
    const { config } = isolate(input, { images: { goauth: "goauth:sha-0123456" } });
    expect(config.services.redis!.image).toBe("redis:7");
    expect(config.services.redis!.pull_policy).toBeUndefined();
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ["an unknown service", { gouath: "x:1" }, /images names service 'gouath'.*\(services: goauth, redis\)/],
    ["one unknown among known", { goauth: "x:1", db: "postgres:16" }, /'db'.*\(services: goauth, redis\)/],
    ["a name that differs in case", { GoAuth: "x:1" }, /'GoAuth'/],
    ["an inherited property name", { toString: "x:1" }, /'toString'/],
  ])("rejects %s with the services listed", (_, images, message) => {
    const call = () => isolate(fixtureConfig("config-goauth.json"), { images });
    expect(call).toThrow(ConfigurationError);
    expect(call).toThrow(message);
  });
});

describe("isolateComposeConfig: labels", () => {
  it.each<[string, ComposeConfig["services"][string]["labels"], Record<string, string> | undefined, object]>([
    ["no labels", undefined, undefined, { [RUN.key]: RUN.value }],
    ["map labels kept", { team: "auth" }, undefined, { team: "auth", [RUN.key]: RUN.value }],
    [
      "list labels become a map",
      ["team=auth", "flag"],
      undefined,
      { team: "auth", flag: "", [RUN.key]: RUN.value },
    ],
    [
      "extra labels added",
      undefined,
      { "io.goflow.job": "it" },
      { "io.goflow.job": "it", [RUN.key]: RUN.value },
    ],
    ["extra overrides the file", { team: "auth" }, { team: "ci" }, { team: "ci", [RUN.key]: RUN.value }],
    ["run label wins over the file", { [RUN.key]: "stale" }, undefined, { [RUN.key]: RUN.value }],
    ["run label wins over extra", undefined, { [RUN.key]: "other" }, { [RUN.key]: RUN.value }],
  ])("%s", (_, labels, extraLabels, expected) => {
    const input: ComposeConfig = {
      services: { app: labels === undefined ? {} : { labels } },
      networks: { default: { name: "p_default", ...(labels === undefined ? {} : { labels }) } },
      volumes: { data: labels === undefined ? null : { labels } },
    };
    const { config } = isolate({ name: "p", ...input }, extraLabels ? { extraLabels } : {});
    expect(config.services.app!.labels).toEqual(expected);
    expect(config.networks?.default?.labels).toEqual(expected);
    expect(config.volumes?.data?.labels).toEqual(expected);
  });

  it.each(["", "a b", "a=b"])("rejects the extra label key %j", (key) => {
    expect(() => isolate({ services: {} }, { extraLabels: { [key]: "x" } })).toThrow(ConfigurationError);
  });

  it("needs a run label value", () => {
    expect(() => isolateComposeConfig({ services: {} }, { runLabel: { key: RUN.key, value: "" } })).toThrow(
      /run label/,
    );
  });
});

describe("isolateComposeConfig: networks and volumes", () => {
  it.each<[string, ComposeConfig, "networks" | "volumes", string, object]>([
    [
      "name derived from the project",
      { name: "p", services: {}, networks: { backend: { name: "p_backend", driver: "bridge" } } },
      "networks",
      "backend",
      { driver: "bridge", labels: { [RUN.key]: RUN.value } },
    ],
    [
      "a fixed volume name",
      { name: "p", services: {}, volumes: { data: { name: "fixed-shared-data" } } },
      "volumes",
      "data",
      { labels: { [RUN.key]: RUN.value } },
    ],
    [
      "an external network",
      { services: {}, networks: { shared: { name: "ci-shared", external: true, ipam: {} } } },
      "networks",
      "shared",
      { name: "ci-shared", external: true, ipam: {} },
    ],
    [
      "an external volume",
      { services: {}, volumes: { cache: { name: "cache", external: true } } },
      "volumes",
      "cache",
      { name: "cache", external: true },
    ],
    [
      "a null entry",
      { services: {}, networks: { back: null } },
      "networks",
      "back",
      { labels: { [RUN.key]: RUN.value } },
    ],
  ])("%s", (_, input, kind, key, expected) => {
    expect(isolate(input).config[kind]?.[key]).toEqual(expected);
  });
});

describe("isolateComposeConfig: changes and warnings for the log", () => {
  it("lists every rewrite of the goauth compose file", () => {
    const { changes, warnings } = isolate(fixtureConfig("config-goauth.json"), {
      images: { goauth: "goauth:sha-0123456" },
    });
    expect(changes).toEqual([
      "removed project name 'goauth-ci' (the run sets its own with -p)",
      "goauth: port 9000/tcp published on all interfaces:9000 → 127.0.0.1:(ephemeral)",
      "goauth: port 9090/tcp published on 127.0.0.1:9090 → 127.0.0.1:(ephemeral)",
      "goauth: removed container_name 'goauth' (two runs would collide on it), kept as an alias on backend",
      "goauth: image goauth:latest → goauth:sha-0123456, build removed, pull_policy never",
      "redis: port 6379/tcp published on all interfaces:(ephemeral) → 127.0.0.1:(ephemeral)",
      "redis: removed container_name 'goauth-redis' (two runs would collide on it), kept as an alias on backend",
      "labelled services goauth, redis with io.goflow.run=12345-1-9f8e7d6c",
      "labelled networks backend with io.goflow.run=12345-1-9f8e7d6c",
      "labelled volumes redis-data with io.goflow.run=12345-1-9f8e7d6c",
    ]);
    expect(warnings).toEqual([]);
  });

  it("notes external resources and fixed names", () => {
    const { changes } = isolate(fixtureConfig("config-port-edge-cases.json"));
    expect(changes).toEqual(
      expect.arrayContaining([
        "network 'outside' is external: left as is (other runs may share it)",
        "volume 'cache' is external: left as is (other runs may share it)",
        "volume 'shared-data': removed fixed name 'fixed-shared-data' (two runs would share it)",
        "labelled networks default with io.goflow.run=12345-1-9f8e7d6c",
        "labelled volumes shared-data with io.goflow.run=12345-1-9f8e7d6c",
      ]),
    );
    expect(changes.some((c) => c.includes("'default': removed fixed name"))).toBe(false);
  });

  it.each<[string, ComposeConfig, Record<string, string>, string[]]>([
    [
      "build without an image override (each environment builds it)",
      fixtureConfig("config-goauth.json"),
      {},
      [],
    ],
    ["build replaced by an image", fixtureConfig("config-goauth.json"), { goauth: "goauth:dev" }, []],
    [
      "host networking",
      { services: { api: { image: "api", network_mode: "host" } } },
      {},
      ["service 'api' uses network_mode: host"],
    ],
    [
      "an external network",
      fixtureConfig("config-port-edge-cases.json"),
      {},
      ["network 'outside' is external"],
    ],
  ])("warns about %s", (_, input, images, expected) => {
    const { warnings } = isolate(input, { images });
    expect(warnings).toEqual(expected.map((start) => expect.stringMatching(new RegExp(`^${start}`))));
  });
});

describe("isolateComposeConfig: container names become network aliases", () => {
  it.each<[string, ComposeConfig["services"][string], Record<string, unknown> | undefined]>([
    ["on compose's default network", { image: "es", container_name: "es" }, { default: { aliases: ["es"] } }],
    [
      "on every network it joins, beside its own aliases and options",
      {
        image: "es",
        container_name: "es",
        networks: { front: null, back: { aliases: ["search"], priority: 10 } },
      },
      { front: { aliases: ["es"] }, back: { aliases: ["search", "es"], priority: 10 } },
    ],
    [
      "once, when it is an alias already",
      { image: "es", container_name: "es", networks: { back: { aliases: ["es"] } } },
      { back: { aliases: ["es"] } },
    ],
  ])("%s", (_, service, networks) => {
    const { config, warnings } = isolate({ services: { search: service } });
    expect(config.services.search?.container_name).toBeUndefined();
    expect(config.services.search?.networks).toEqual(networks);
    expect(warnings).toEqual([]);
  });

  it("warns when a network_mode takes no alias", () => {
    const { config, warnings } = isolate({
      services: { app: {}, sidecar: { container_name: "side", network_mode: "service:app" } },
    });
    expect(config.services.sidecar?.networks).toBeUndefined();
    expect(warnings).toEqual([
      "service 'sidecar': container_name 'side' was removed (two runs would collide on it) and cannot be kept as a network alias under network_mode: service:app; other services cannot reach it by that name",
    ]);
  });
});

describe("isolateComposeConfig: external networks", () => {
  const config: ComposeConfig = {
    services: { api: { networks: { shared: null, default: null } }, db: { networks: { default: null } } },
    networks: { shared: { name: "ci-shared", external: true }, default: {} },
  };
  const message =
    "network 'shared' is external (ci-shared), joined by api: every run on this host shares it, so services of two runs can reach each other by name there";

  it("warns by default", () => {
    expect(isolate(config).warnings).toEqual([`${message} (set external-networks: error to refuse this)`]);
  });

  it("is an error with external-networks: error", () => {
    expect(() => isolate(config, { externalNetworks: "error" })).toThrow(
      `${message}. external-networks is error: give the services a network of the compose file's own, or set external-networks: warn`,
    );
  });
});
