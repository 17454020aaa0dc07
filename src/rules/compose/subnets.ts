import { ConfigurationError } from "../../errors.js";
import { compareStrings, composeServiceNames, isObject } from "./config.js";
import type { ComposeConfig } from "./types.js";

/** An IPv4 network: its first address as an unsigned 32-bit number and its prefix length. */
export interface Ipv4Subnet {
  base: number;
  prefix: number;
}

/**
 * Private ranges a moved subnet is taken from, in this order: 10.0.0.0/8 is in
 * none of Docker's default address pools, so the networks Docker makes by
 * itself meanwhile (172.17–31.0.0/16, 192.168.0.0/20s, handed out from the
 * bottom up) cannot take the block between choosing it and creating it.
 */
const POOLS: readonly Ipv4Subnet[] = [
  { base: ipv4(10, 0, 0, 0), prefix: 8 },
  { base: ipv4(172, 16, 0, 0), prefix: 12 },
  { base: ipv4(192, 168, 0, 0), prefix: 16 },
];

/** `172.28.0.0/16` → the subnet (its base masked), or undefined for anything that is not IPv4 CIDR. */
export function parseIpv4Subnet(text: string): Ipv4Subnet | undefined {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim());
  const address = match ? parseIpv4Address(match[1] ?? "") : undefined;
  const prefix = Number(match?.[2]);
  if (address === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  return { base: (address & mask(prefix)) >>> 0, prefix };
}

export function parseIpv4Address(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) {
    return undefined;
  }
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function formatIpv4Subnet(subnet: Ipv4Subnet): string {
  return `${formatIpv4Address(subnet.base)}/${subnet.prefix}`;
}

export function formatIpv4Address(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** A subnet the compose file fixes, as written (`text`) and parsed. */
export interface FixedSubnet {
  network: string;
  text: string;
  subnet: Ipv4Subnet;
}

/**
 * Fixed subnets of the model's own (non-external) networks, in network order.
 * One that cannot be moved (IPv6, or larger than the largest private range) is
 * a ConfigurationError.
 */
export function fixedSubnets(config: ComposeConfig): FixedSubnet[] {
  const found: FixedSubnet[] = [];
  for (const network of Object.keys(config.networks ?? {}).sort(compareStrings)) {
    const resource = config.networks?.[network];
    if (!resource || resource.external === true) continue;
    for (const entry of ipamConfig(resource.ipam)) {
      if (typeof entry.subnet !== "string") continue;
      const subnet = parseIpv4Subnet(entry.subnet);
      if (subnet === undefined) {
        throw new ConfigurationError(
          `network '${network}' has the fixed subnet ${entry.subnet}, which compose-test cannot move to a free one for each run (only IPv4 subnets are moved); remove the subnet (and the services' fixed addresses on it), or use isolate: false`,
        );
      }
      const largest = Math.min(...POOLS.map((pool) => pool.prefix));
      if (subnet.prefix < largest) {
        throw new ConfigurationError(
          `network '${network}' has the fixed subnet ${entry.subnet}, larger than any private range compose-test can move it into (at most /${largest}); use a smaller subnet, or isolate: false`,
        );
      }
      found.push({ network, text: entry.subnet, subnet });
    }
  }
  return found;
}

/**
 * Free subnets of the same sizes as `wanted`, none overlapping `inUse` or each
 * other: each is a block of a private range, found by scanning its blocks
 * from a place `random` picks (`random(n)` is an integer in [0, n)). An entry
 * is undefined when no block of that size is free.
 */
export function chooseFreeSubnets(
  wanted: readonly Ipv4Subnet[],
  inUse: readonly Ipv4Subnet[],
  random: (n: number) => number,
): (Ipv4Subnet | undefined)[] {
  const taken = [...inUse];
  return wanted.map(({ prefix }) => {
    const free = findFreeBlock(prefix, taken, random);
    if (free !== undefined) taken.push(free);
    return free;
  });
}

function findFreeBlock(
  prefix: number,
  taken: readonly Ipv4Subnet[],
  random: (n: number) => number,
): Ipv4Subnet | undefined {
  for (const pool of POOLS) {
    if (prefix < pool.prefix) continue;
    const blocks = 2 ** (prefix - pool.prefix);
    const size = 2 ** (32 - prefix);
    const start = random(blocks);
    for (let i = 0; i < blocks; i++) {
      const candidate = { base: pool.base + ((start + i) % blocks) * size, prefix };
      if (!taken.some((other) => overlaps(candidate, other))) return candidate;
    }
  }
  return undefined;
}

/** Whether `docker compose up` failed because a network's subnet was taken: Docker's "Pool overlaps…". */
export function isSubnetConflict(stderr: string): boolean {
  return /Pool overlaps with other one on this address space/i.test(stderr);
}

export function overlaps(a: Ipv4Subnet, b: Ipv4Subnet): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return (a.base & mask(prefix)) >>> 0 === (b.base & mask(prefix)) >>> 0;
}

/**
 * Moves fixed subnets (`moves`: old subnet text as written → new subnet):
 * the network's `subnet`, `ip_range`, `gateway` and `aux_addresses`, and every
 * service's `ipv4_address` on it, each keeping its offset in the subnet.
 * Returns a new config and one line per moved subnet.
 */
export function moveSubnets(
  config: ComposeConfig,
  moves: ReadonlyMap<string, Ipv4Subnet>,
): { config: ComposeConfig; changes: string[] } {
  const out = structuredClone(config);
  const changes: string[] = [];
  const moved = new Map<string, { from: Ipv4Subnet; to: Ipv4Subnet }[]>();
  for (const network of Object.keys(out.networks ?? {}).sort(compareStrings)) {
    const resource = out.networks?.[network];
    if (!resource || resource.external === true) continue;
    for (const entry of ipamConfig(resource.ipam)) {
      const to = typeof entry.subnet === "string" ? moves.get(entry.subnet) : undefined;
      const from = typeof entry.subnet === "string" ? parseIpv4Subnet(entry.subnet) : undefined;
      if (to === undefined || from === undefined) continue;
      const move = (text: unknown) => (typeof text === "string" ? moveAddress(text, from, to) : text);
      changes.push(
        `network '${network}': subnet ${entry.subnet} → ${formatIpv4Subnet(to)} (addresses keep their offsets)`,
      );
      entry.subnet = formatIpv4Subnet(to);
      if (typeof entry.gateway === "string") entry.gateway = move(entry.gateway);
      if (typeof entry.ip_range === "string") {
        const range = parseIpv4Subnet(entry.ip_range);
        if (range !== undefined)
          entry.ip_range = formatIpv4Subnet({ base: shift(range.base, from, to), prefix: range.prefix });
      }
      if (isObject(entry.aux_addresses)) {
        entry.aux_addresses = Object.fromEntries(
          Object.entries(entry.aux_addresses).map(([name, address]) => [name, move(address)]),
        );
      }
      moved.set(network, [...(moved.get(network) ?? []), { from, to }]);
    }
  }
  for (const name of composeServiceNames(out)) {
    const networks = out.services[name]?.networks;
    for (const [network, options] of Object.entries(networks ?? {})) {
      const subnets = moved.get(network);
      if (subnets === undefined || !isObject(options) || typeof options.ipv4_address !== "string") continue;
      const address = parseIpv4Address(options.ipv4_address);
      const match = subnets.find(
        ({ from }) => address !== undefined && overlaps({ base: address, prefix: 32 }, from),
      );
      if (match === undefined) continue;
      const next = moveAddress(options.ipv4_address, match.from, match.to);
      changes.push(`${name}: ipv4_address ${options.ipv4_address} → ${next} on ${network}`);
      options.ipv4_address = next;
    }
  }
  return { config: out, changes };
}

function moveAddress(text: string, from: Ipv4Subnet, to: Ipv4Subnet): string {
  const address = parseIpv4Address(text);
  if (address === undefined || !overlaps({ base: address, prefix: 32 }, from)) return text;
  return formatIpv4Address(shift(address, from, to));
}

function shift(address: number, from: Ipv4Subnet, to: Ipv4Subnet): number {
  return to.base + (address - from.base);
}

function ipamConfig(ipam: unknown): Record<string, unknown>[] {
  const config = isObject(ipam) ? ipam.config : undefined;
  return Array.isArray(config) ? config.filter(isObject) : [];
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a * 256 + b) * 256 + c) * 256 + d;
}
