import { existsSync } from "node:fs";
import { tearDownComposeProject } from "../../runtime/compose.js";
import { removeWrittenFolder } from "../../runtime/data-folders.js";
import { type Docker, RUN_LABEL } from "../../runtime/docker.js";
import type { Reporter } from "../../runtime/reporter.js";
import { StateKey, type StateStore } from "../../runtime/state.js";

/** Keeps the post step's list of compose projects current: saved before each `up`, dropped after `down`. */
export class ProjectTracker {
  private readonly active = new Set<string>();
  private readonly kept = new Set<string>();
  constructor(private readonly state: StateStore) {}
  add(project: string): void {
    this.active.add(project);
    this.save();
  }
  remove(project: string): void {
    this.active.delete(project);
    this.save();
  }
  keep(project: string): void {
    this.kept.add(project);
    this.state.save(StateKey.composeKeptProjects, JSON.stringify([...this.kept]));
  }
  private save(): void {
    this.state.save(StateKey.composeProjects, JSON.stringify([...this.active]));
  }
}

/**
 * The post step (and the CLI after a run): `down` for every project main
 * left behind, then everything that still carries the run label. Environments
 * kept by keep-on-failure stay. Never throws: problems are warnings.
 */
export async function cleanUpComposeTest(
  docker: Docker,
  state: StateStore,
  reporter: Reporter,
): Promise<void> {
  const runLabel = state.get(StateKey.composeRunLabel);
  if (!runLabel) return;
  const projects = readJsonList(state.get(StateKey.composeProjects));
  const kept = new Set(readJsonList(state.get(StateKey.composeKeptProjects)));
  for (const project of projects.filter((p) => !kept.has(p))) {
    // What post finds was left by a cancelled or crashed run: killed, like a cancelled run's own.
    const down = await tearDownComposeProject(docker, { project }, { stopTimeoutSeconds: 0 });
    if (down.exitCode === 0) reporter.info(`removed compose project ${project}`);
    else
      reporter.warning(
        `could not remove compose project ${project}: ${down.stderr.trim().split("\n").pop() ?? ""}`,
      );
  }
  if (kept.size > 0) {
    reporter.info(
      `kept for debugging (keep-on-failure): ${[...kept].join(", ")}; remove with docker compose -p <project> down --volumes --remove-orphans`,
    );
    return;
  }
  const swept = await docker.removeLabelled(runLabel);
  const tempDir = state.get(StateKey.composeTempDir);
  if (tempDir && existsSync(tempDir)) {
    const images = readJsonList(state.get(StateKey.composeCleanupImages));
    const warning = await removeWrittenFolder(docker, tempDir, images, runLabel);
    if (warning === undefined) reporter.info(`removed ${tempDir}`);
    else reporter.warning(`cleanup: ${warning}`);
  }
  // After the folders: a cleanup container may have needed one of the built images.
  const images = await docker.removeLabelledImages(runLabel);
  const removed = swept.removed.length + images.removed.length;
  if (removed > 0) reporter.info(`removed ${removed} leftover resources labelled ${RUN_LABEL}=${runLabel}`);
  for (const error of [...swept.errors, ...images.errors]) reporter.warning(`cleanup: ${error}`);
}

function readJsonList(text: string): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}
