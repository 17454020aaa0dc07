import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chownTree } from "../../harness/run-action.js";
import { docker } from "./docker.js";

/**
 * One Go build cache for every end-to-end file: compiling the standard
 * library cold costs most of a minute on two cores, and Go's cache is safe to
 * share between concurrent builds. It is only the tests' cache; the actions
 * under test keep their own.
 */
export const sharedGoCache = join(tmpdir(), "goflow-e2e-gocache");

export function runGoInContainer(dir: string, user: { uid: number; gid: number }, args: string[]): string {
  mkdirSync(sharedGoCache, { recursive: true });
  chownTree(sharedGoCache, user);
  return docker(
    "run",
    "--rm",
    "--network",
    "none",
    "--label",
    "io.goflow.test=go",
    "--user",
    `${user.uid}:${user.gid}`,
    "-e",
    "HOME=/tmp",
    "-e",
    "GOCACHE=/gocache",
    "-e",
    "GOFLAGS=-modcacherw",
    "-e",
    "CGO_ENABLED=0",
    "-v",
    `${sharedGoCache}:/gocache`,
    "-v",
    `${dir}:/src`,
    "-w",
    "/src",
    "golang:1.24",
    ...args,
  );
}
