import { isAbsolute, relative, sep } from "node:path";

/** Whether `path` is `root` or below it (after normalising `..`). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * A path for messages and annotations: relative to the workspace, with `/`,
 * when it lies inside it (GitHub links annotations only by such paths; `.` for
 * the workspace itself); any other path, relative ones included, as it is.
 */
export function relativeToWorkspace(workspace: string | undefined, path: string): string {
  if (!workspace || !isAbsolute(path) || !isInside(workspace, path)) return path;
  return relative(workspace, path).split(sep).join("/") || ".";
}
