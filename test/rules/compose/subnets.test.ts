import { describe, expect, it } from "vitest";
import {
  type ComposeConfig,
  chooseFreeSubnets,
  fixedSubnets,
  formatIpv4Subnet,
  type Ipv4Subnet,
  isSubnetConflict,
  moveSubnets,
  parseIpv4Subnet,
} from "../../../src/rules/compose/index.js";

const subnet = (text: string): Ipv4Subnet => {
  const parsed = parseIpv4Subnet(text);
  if (parsed === undefined) throw new Error(`bad subnet ${text}`);
  return parsed;
};

describe("parseIpv4Subnet", () => {
  it.each<[string, string | undefined]>([
    ["172.28.0.0/16", "172.28.0.0/16"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["192.168.1.77/32", "192.168.1.77/32"],
    ["255.255.255.255/0", "0.0.0.0/0"],
    ["fd00::/64", undefined],
    ["172.28.0.0", undefined],
    ["256.0.0.0/8", undefined],
    ["10.0.0.0/33", undefined],
  ])("%s → %s", (text, expected) => {
    const parsed = parseIpv4Subnet(text);
    expect(parsed === undefined ? undefined : formatIpv4Subnet(parsed)).toBe(expected);
  });
});

const network = (ipam: unknown, extra: Record<string, unknown> = {}) => ({ ipam, ...extra });

describe("fixedSubnets", () => {
  it("lists fixed subnets of own networks, not external ones or networks without", () => {
    const config: ComposeConfig = {
      services: {},
      networks: {
        back: network({ config: [{ subnet: "172.28.0.0/16" }] }),
        ext: network({ config: [{ subnet: "10.9.0.0/24" }] }, { external: true }),
        plain: network({}),
        none: null,
      },
    };
    expect(fixedSubnets(config)).toEqual([
      { network: "back", text: "172.28.0.0/16", subnet: subnet("172.28.0.0/16") },
    ]);
  });

  it.each<[string, RegExp]>([
    [
      "fd00:1::/64",
      /network 'back' has the fixed subnet fd00:1::\/64, which compose-test cannot move .*only IPv4/,
    ],
    [
      "0.0.0.0/4",
      /network 'back' has the fixed subnet 0\.0\.0\.0\/4, larger than any private range .*at most \/8/,
    ],
  ])("rejects %s", (text, message) => {
    const config: ComposeConfig = {
      services: {},
      networks: { back: network({ config: [{ subnet: text }] }) },
    };
    expect(() => fixedSubnets(config)).toThrow(message);
  });
});

describe("chooseFreeSubnets", () => {
  const first = () => 0;
  it.each<[string, string[], string[], (n: number) => number, (string | undefined)[]]>([
    ["the first block of 10.0.0.0/8", ["172.28.0.0/16"], [], first, ["10.0.0.0/16"]],
    ["past the blocks in use", ["172.28.0.0/16"], ["10.0.0.0/8"], first, ["172.16.0.0/16"]],
    ["past a smaller network inside a block", ["172.28.0.0/16"], ["10.0.5.0/24"], first, ["10.1.0.0/16"]],
    ["from the random start, wrapping", ["10.0.0.0/10"], [], (n) => n - 1, ["10.192.0.0/10"]],
    [
      "two at once never overlap",
      ["172.28.0.0/16", "172.29.0.0/16"],
      [],
      first,
      ["10.0.0.0/16", "10.1.0.0/16"],
    ],
    ["a /8 only in 10.0.0.0/8", ["10.0.0.0/8"], [], first, ["10.0.0.0/8"]],
    [
      "a /12 in 172.16.0.0/12 once 10.0.0.0/8 is taken",
      ["172.16.0.0/12"],
      ["10.0.0.0/8"],
      first,
      ["172.16.0.0/12"],
    ],
    ["none free", ["10.0.0.0/8"], ["10.200.0.0/16"], first, [undefined]],
  ])("%s", (_, wanted, inUse, random, expected) => {
    const chosen = chooseFreeSubnets(wanted.map(subnet), inUse.map(subnet), random);
    expect(chosen.map((s) => (s === undefined ? undefined : formatIpv4Subnet(s)))).toEqual(expected);
  });
});

describe("moveSubnets", () => {
  const config: ComposeConfig = {
    services: {
      api: { networks: { back: { ipv4_address: "172.28.5.10" }, front: null } },
      db: { networks: { back: { ipv4_address: "172.28.0.20", aliases: ["database"] } } },
      web: { networks: { default: null } },
    },
    networks: {
      back: network({
        driver: "default",
        config: [
          {
            subnet: "172.28.0.0/16",
            ip_range: "172.28.5.0/24",
            gateway: "172.28.0.1",
            aux_addresses: { router: "172.28.1.1" },
          },
        ],
      }),
      front: network({}),
    },
  };

  it("moves an already moved model again, by the subnet it holds now (a retry after a conflict)", () => {
    const once = moveSubnets(config, new Map([["172.28.0.0/16", subnet("10.7.0.0/16")]])).config;
    const twice = moveSubnets(once, new Map([["10.7.0.0/16", subnet("10.9.0.0/16")]]));
    expect(twice.config.services.api?.networks).toEqual({ back: { ipv4_address: "10.9.5.10" }, front: null });
    expect(twice.config.networks?.back?.ipam).toMatchObject({
      config: [{ subnet: "10.9.0.0/16", gateway: "10.9.0.1" }],
    });
    expect(twice.changes[0]).toBe(
      "network 'back': subnet 10.7.0.0/16 → 10.9.0.0/16 (addresses keep their offsets)",
    );
  });

  it("moves every address of the subnet, keeping offsets, and leaves the input alone", () => {
    const before = structuredClone(config);
    const { config: out, changes } = moveSubnets(config, new Map([["172.28.0.0/16", subnet("10.7.0.0/16")]]));
    expect(config).toEqual(before);
    expect(out.networks?.back?.ipam).toEqual({
      driver: "default",
      config: [
        {
          subnet: "10.7.0.0/16",
          ip_range: "10.7.5.0/24",
          gateway: "10.7.0.1",
          aux_addresses: { router: "10.7.1.1" },
        },
      ],
    });
    expect(out.services.api?.networks).toEqual({ back: { ipv4_address: "10.7.5.10" }, front: null });
    expect(out.services.db?.networks).toEqual({ back: { ipv4_address: "10.7.0.20", aliases: ["database"] } });
    expect(changes).toEqual([
      "network 'back': subnet 172.28.0.0/16 → 10.7.0.0/16 (addresses keep their offsets)",
      "api: ipv4_address 172.28.5.10 → 10.7.5.10 on back",
      "db: ipv4_address 172.28.0.20 → 10.7.0.20 on back",
    ]);
  });

  it("changes nothing without moves", () => {
    expect(moveSubnets(config, new Map())).toEqual({ config, changes: [] });
  });
});

describe("isSubnetConflict", () => {
  it.each<[string, boolean]>([
    [
      "failed to create network p_back: Error response from daemon: Pool overlaps with other one on this address space",
      true,
    ],
    [
      "Error response from daemon: invalid pool request: Pool overlaps with other one on this address space",
      true,
    ],
    ["Error response from daemon: Address already in use", false],
    ["port is already allocated", false],
    ["", false],
  ])("%s → %s", (stderr, expected) => {
    expect(isSubnetConflict(stderr)).toBe(expected);
  });
});
