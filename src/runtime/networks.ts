import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { type Docker, networkIdsArgs, networkSubnetsArgs } from "./docker.js";
import { describeFailure, ProcessError } from "./process.js";

/**
 * The IPv4 subnets (CIDR text) a new Docker network must not overlap: those of
 * every Docker network on the engine, those of this host's interfaces (a
 * bridge on the runner's own LAN would cut it off), and the host's routes,
 * gateways and DNS servers (a bridge over the resolver's address would take
 * its traffic: runners' resolvers often sit in 10.0.0.0/8).
 */
export async function subnetsInUse(docker: Docker): Promise<string[]> {
  const listed = await docker.checked(networkIdsArgs(), { timeoutMs: 60_000 });
  const ids = listed.stdout
    .split("\n")
    .map((id) => id.trim())
    .filter(Boolean);
  const subnets: string[] = [];
  if (ids.length > 0) {
    const inspected = await docker.run(networkSubnetsArgs(ids), { timeoutMs: 60_000 });
    // A network removed between ls and inspect fails the call; what was printed still counts.
    if (inspected.exitCode !== 0 && inspected.stdout.trim() === "") {
      throw new ProcessError(
        `listing the subnets of Docker's networks failed: ${describeFailure(inspected)}`,
        inspected,
      );
    }
    subnets.push(...inspected.stdout.split(/\s+/).filter(Boolean));
  }
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4" && address.cidr !== null) subnets.push(address.cidr);
    }
  }
  subnets.push(
    ...hostRoutes(readOptional("/proc/net/route")),
    ...nameservers(readOptional("/etc/resolv.conf")),
  );
  return subnets;
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** /proc/net/route's destinations (but the default route) and gateways, as CIDR text. */
export function hostRoutes(table: string): string[] {
  const cidrs: string[] = [];
  for (const line of table.split("\n").slice(1)) {
    const [, destination, gateway, , , , , mask] = line.trim().split(/\s+/);
    if (!destination || !gateway || !mask) continue;
    const prefix = countBits(littleEndianHex(mask));
    if (prefix > 0) cidrs.push(`${dottedQuad(littleEndianHex(destination))}/${prefix}`);
    if (littleEndianHex(gateway) !== 0) cidrs.push(`${dottedQuad(littleEndianHex(gateway))}/32`);
  }
  return cidrs;
}

/** resolv.conf's IPv4 nameservers, as /32s. */
export function nameservers(resolvConf: string): string[] {
  return [...resolvConf.matchAll(/^\s*nameserver\s+(\d{1,3}(?:\.\d{1,3}){3})\s*$/gm)].map(
    (m) => `${m[1]}/32`,
  );
}

/** /proc/net/route writes addresses as host-order (little-endian) hex: 010200C0 is 192.0.2.1. */
function littleEndianHex(hex: string): number {
  const value = Number.parseInt(hex, 16);
  return (
    (((value & 0xff) << 24) |
      (((value >>> 8) & 0xff) << 16) |
      (((value >>> 16) & 0xff) << 8) |
      (value >>> 24)) >>>
    0
  );
}

function dottedQuad(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join(".");
}

function countBits(mask: number): number {
  let bits = 0;
  for (let m = mask; m !== 0; m = (m << 1) >>> 0) bits++;
  return bits;
}
