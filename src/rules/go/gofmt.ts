import type { Finding } from "../report/finding.js";
import { joinWorkspacePath } from "./workspace-path.js";

/**
 * The files `gofmt -l` lists, in order, without a leading `./` and without
 * duplicates. Lines that are not a `.go` path (a parse error merged in from
 * stderr, blank lines) are ignored.
 */
export function parseGofmtList(text: string): string[] {
  const files = new Set<string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line.endsWith(".go") || /:\d+(?::\d+)?: /.test(line)) continue;
    files.add(line.replace(/^(?:\.\/)+/, ""));
  }
  return [...files];
}

/** One error per unformatted file, at the file, telling how to fix it. */
export function unformattedFindings(files: readonly string[], baseDir?: string): Finding[] {
  return files.map((listed) => {
    const file = joinWorkspacePath(baseDir, listed);
    return {
      severity: "error",
      title: "gofmt",
      message: `File is not gofmt-formatted; run \`gofmt -w ${file}\` or set \`format: fix\``,
      location: { file },
    };
  });
}
