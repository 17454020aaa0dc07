import type { Channel } from "../gitflow/index.js";

/** The goflow label naming the git-flow channel an image was built on. */
export const CHANNEL_LABEL = "io.goflow.channel";

const OCI = "org.opencontainers.image";

/** The facts of the run the labels are made of (a RunContext has them all). */
export interface LabelContext {
  serverUrl: string;
  /** owner/name */
  repository: string;
  sha: string;
  pullRequest: { headSha: string } | undefined;
  repositoryDescription: string | undefined;
  repositoryLicense: string | undefined;
}

/**
 * The OCI annotation labels (`org.opencontainers.image.*`) plus the channel,
 * from the run: `revision` is the pull request's head commit on pull requests
 * (the event sha is a merge commit nobody can check out later), `created`
 * the given time in RFC 3339 without fractions. Description and license are
 * left out when the repository has none, rather than set to "". `overrides`
 * (the `labels` input) win per key.
 */
export function computeImageLabels(
  context: LabelContext,
  build: { version: string; channel: Channel; created: Date },
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const url = `${context.serverUrl.replace(/\/+$/, "")}/${context.repository}`;
  const title = context.repository.split("/").pop() ?? context.repository;
  const labels: Record<string, string> = {
    [`${OCI}.created`]: formatRfc3339(build.created),
  };
  if (context.repositoryDescription) labels[`${OCI}.description`] = context.repositoryDescription;
  if (context.repositoryLicense && context.repositoryLicense !== "NOASSERTION")
    labels[`${OCI}.licenses`] = context.repositoryLicense;
  labels[`${OCI}.revision`] = context.pullRequest?.headSha || context.sha;
  labels[`${OCI}.source`] = url;
  labels[`${OCI}.title`] = title;
  labels[`${OCI}.url`] = url;
  labels[`${OCI}.version`] = build.version;
  labels[CHANNEL_LABEL] = build.channel;
  return { ...labels, ...overrides };
}

/** `2026-11-20T10:00:00Z`: RFC 3339 in UTC, whole seconds. */
export function formatRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** SOURCE_DATE_EPOCH wins so that two builds of one commit carry the same labels. */
export function buildTime(sourceDateEpoch: number | undefined, now: () => Date): Date {
  return sourceDateEpoch === undefined ? now() : new Date(sourceDateEpoch * 1000);
}
