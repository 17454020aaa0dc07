import type { Channel } from "../../rules/gitflow/index.js";
import { tableCell } from "../../rules/report/index.js";

/** What docker-package did: the image, its tags, the push decision and its outcome. */
export interface PackageResult {
  /** The repository, normalised (`ghcr.io/acme/go-auth`). */
  image: string;
  version: string;
  channel: Channel;
  /** Bare tags, in order of importance. */
  tags: string[];
  /** `image:tag` for each tag; the first is the `image` output. */
  references: string[];
  imageId: string;
  /** The pushed manifest's digest; undefined when nothing was pushed. */
  digest: string | undefined;
  /** The decision of the rules and the push input. */
  shouldPush: boolean;
  pushReason: string;
  /** What happened. */
  pushed: boolean;
  /** Labels given to the build; empty when the image came from load-artifact. */
  labels: Record<string, string>;
  source: "build" | "artifact";
}

/** The action's outputs, by output name; `json` holds the same values, typed. */
export function packageOutputs(result: PackageResult): Record<string, string> {
  const json = {
    version: result.version,
    channel: result.channel,
    tags: result.references,
    image: result.references[0] ?? "",
    "image-id": result.imageId,
    digest: result.digest ?? "",
    pushed: result.pushed,
    "should-push": result.shouldPush,
    "push-reason": result.pushReason,
  };
  return {
    version: json.version,
    channel: json.channel,
    tags: json.tags.join("\n"),
    image: json.image,
    "image-id": json["image-id"],
    digest: json.digest,
    pushed: String(json.pushed),
    "should-push": String(json["should-push"]),
    "push-reason": json["push-reason"],
    json: JSON.stringify(json),
  };
}

/** The job summary: what was built, under which tags, and whether (and why) it was published. */
export function renderPackageSummary(result: PackageResult): string {
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  const rows: [string, string][] = [
    ["version", code(result.version)],
    ["channel", result.channel],
    ["tags", result.references.map(code).join("<br>")],
    ["image id", code(result.imageId)],
    ["source", result.source === "artifact" ? "loaded from a save-artifact archive" : "built"],
    ["push", `${result.pushed ? "pushed" : "not pushed"}: ${tableCell(result.pushReason)}`],
  ];
  if (result.digest) rows.push(["digest", code(`${result.image}@${result.digest}`)]);
  return [
    `### docker-package: ${tableCell(result.image)}`,
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    "",
    "",
  ].join("\n");
}
