import { ConfigurationError } from "../../errors.js";

/** A target platform as Docker and Go name it: `linux/amd64`, `linux/arm/v7`. */
export interface Platform {
  os: string;
  arch: string;
  variant?: string;
}

const NAME = /^[a-z0-9_]+$/;

/** Parses one `platforms` entry, `os/arch` or `os/arch/variant`. */
export function parsePlatform(text: string): Platform {
  const entry = text.trim();
  const parts = entry.split("/");
  const [os, arch, variant] = parts;
  if (
    os === undefined ||
    arch === undefined ||
    parts.length > 3 ||
    !NAME.test(os) ||
    !NAME.test(arch) ||
    (variant !== undefined && !NAME.test(variant))
  ) {
    throw new ConfigurationError(
      `platforms entry '${entry}' must be os/arch, e.g. linux/amd64 (or os/arch/variant, e.g. linux/arm/v7)`,
    );
  }
  return variant === undefined ? { os, arch } : { os, arch, variant };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.arch, platform.variant].filter((part) => part !== undefined).join("/");
}

/**
 * The environment that makes `go build` target the platform. A variant maps
 * to GOARM (`arm/v7` → 7), GOAMD64 (`amd64/v3` → v3) or GOARM64 (`arm64/v8.2`);
 * others are left to Go's default.
 */
export function platformBuildEnv(platform: Platform): Record<string, string> {
  const env: Record<string, string> = { GOOS: platform.os, GOARCH: platform.arch };
  const variant = platform.variant;
  if (variant === undefined) return env;
  if (platform.arch === "arm" && /^v[5-7]$/.test(variant)) env.GOARM = variant.slice(1);
  else if (platform.arch === "amd64" && /^v[1-4]$/.test(variant)) env.GOAMD64 = variant;
  else if (platform.arch === "arm64" && /^v[89](?:\.[0-9])?$/.test(variant)) env.GOARM64 = variant;
  return env;
}

/**
 * The binary's file name: `go-auth` for a single platform, `go-auth-linux-arm64`
 * (and `-v7` for a variant) when several are built into one directory; Windows
 * binaries get `.exe` either way.
 */
export function binaryOutputName(base: string, platform: Platform, multiple: boolean): string {
  let name = base;
  if (multiple) {
    name += `-${platform.os}-${platform.arch}`;
    if (platform.variant !== undefined) name += `-${platform.variant}`;
  }
  return platform.os === "windows" ? `${name}.exe` : name;
}
