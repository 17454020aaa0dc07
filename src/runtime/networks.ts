import { networkInterfaces } from "node:os";
import type { Docker } from "./docker.js";
import { describeFailure, ProcessError } from "./process.js";

/**
 * The IPv4 subnets (CIDR text) a new Docker network must not overlap: those of
 * every Docker network on the engine, and those of this host's interfaces
 * (a bridge on the runner's own LAN would cut it off).
 */
export async function subnetsInUse(docker: Docker): Promise<string[]> {
  const listed = await docker.checked(["network", "ls", "--quiet"], { timeoutMs: 60_000 });
  const ids = listed.stdout
    .split("\n")
    .map((id) => id.trim())
    .filter(Boolean);
  const subnets: string[] = [];
  if (ids.length > 0) {
    const inspected = await docker.run(
      ["network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", ...ids],
      { timeoutMs: 60_000 },
    );
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
  return subnets;
}
