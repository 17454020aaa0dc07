export function pinnedNodeVersions(): Record<string, string>;
export function nodeCacheDir(): string;
export function nodeBinaryPath(version: string): string;
