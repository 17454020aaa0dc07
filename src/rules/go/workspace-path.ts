import { posix } from "node:path";

/**
 * A path Go printed relative to where it ran (`./main.go`, `internal/x.go`,
 * `../y.go`), made relative to the workspace root by prefixing `baseDir`, the
 * directory Go ran in. Absolute paths are returned as they are.
 */
export function joinWorkspacePath(baseDir: string | undefined, file: string): string {
  if (file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file)) return file;
  return posix.normalize(posix.join(baseDir === undefined || baseDir === "" ? "." : baseDir, file));
}
