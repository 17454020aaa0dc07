import { describe, expect, it } from "vitest";
import { hostRoutes, nameservers } from "../../src/runtime/networks.js";

describe("hostRoutes", () => {
  it("reads destinations (not the default route) and gateways from /proc/net/route", () => {
    const table = [
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
      "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
      "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
      "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
      "",
    ].join("\n");
    expect(hostRoutes(table)).toEqual(["192.0.2.1/32", "172.17.0.0/16", "192.0.2.0/24"]);
  });

  it("reads nothing from an empty or missing table", () => {
    expect(hostRoutes("")).toEqual([]);
  });
});

describe("nameservers", () => {
  it("keeps the IPv4 ones, as /32s", () => {
    expect(nameservers("# x\nnameserver 10.255.255.53\nnameserver ::1\nsearch example.com\n")).toEqual([
      "10.255.255.53/32",
    ]);
  });
});
