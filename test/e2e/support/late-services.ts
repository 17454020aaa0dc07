import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chownTree } from "../../harness/run-action.js";
import { docker } from "./docker.js";
import { runGoInContainer } from "./go.js";

/**
 * Services that are not ready when their containers start, for the readiness
 * tests of compose-test (the action and goflow test): the late-service
 * fixture, and the example service on MySQL, which listens only once its
 * database answered.
 */

/** go-auth's binary in its own image, as the package stage builds it; `remove()` removes it. */
export function buildGoAuthImage(user: { uid: number; gid: number }, tag: string): { remove(): void } {
  return buildImage(resolve("examples/go-auth"), "go-auth", user, tag);
}

/**
 * test/fixtures/services/late-service as an image: an HTTP service that is not
 * ready when its container starts, because it listens late (its published
 * port accepts connections through Docker's proxy and closes them) or because
 * it resets connections for a while. `built.remove()` removes the image.
 */
export function buildLateService(user: { uid: number; gid: number }, tag: string): { remove(): void } {
  return buildImage(resolve("test/fixtures/services/late-service"), "late-service", user, tag);
}

function buildImage(
  source: string,
  binary: string,
  user: { uid: number; gid: number },
  tag: string,
): { remove(): void } {
  const build = mkdtempSync(join(tmpdir(), `goflow-${binary}-image-`));
  try {
    cpSync(source, build, { recursive: true });
    chownTree(build, user);
    runGoInContainer(build, user, ["go", "build", "-trimpath", "-o", binary, "."]);
    docker("build", "--quiet", "--label", `io.goflow.test=${binary}`, "-t", tag, build);
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
  return { remove: () => docker("image", "rm", "--force", tag) };
}

/** How the service is late: the fixture's environment for each case. */
export const LATENESS = {
  "listens only after 5 s": { LISTEN_AFTER: "5s" },
  "resets connections for 5 s": { RESET_FOR: "5s" },
} as const;

export type Lateness = keyof typeof LATENESS;

/**
 * A workspace (owned by `user`) with a compose file running the late service
 * `how` and one spec that waits for it, then runs three tests.
 */
export function lateServiceWorkspace(
  root: string,
  image: string,
  how: Lateness,
  user: { uid: number; gid: number },
): string {
  const workspace = mkdtempSync(join(root, "ws-"));
  const environment = Object.entries(LATENESS[how]).map(([name, value]) => `      ${name}: "${value}"`);
  writeFileSync(
    join(workspace, "docker-compose.yml"),
    [
      "services:",
      "  late:",
      `    image: ${image}`,
      "    environment:",
      ...environment,
      '    ports: ["8080"]',
      "",
    ].join("\n"),
  );
  mkdirSync(join(workspace, "tests"));
  writeFileSync(
    join(workspace, "tests", "late.yml"),
    [
      "target: late:8080",
      "wait:",
      "  request: GET /health",
      "  status: 200",
      "  timeout: 60s",
      "tests:",
      "  - name: Health answers once the service is up",
      "    request: GET /health",
      "    expect: { status: 200, body: ok }",
      "  - name: Hello",
      "    request: GET /hello",
      "    expect:",
      "      status: 200",
      "      json:",
      "        $.hello: world",
      "  - name: Hello again, pasted from a script",
      "    curl: curl -s /hello",
      "    expect: { status: 200, body: { contains: world } }",
      "",
    ].join("\n"),
  );
  chownTree(workspace, user);
  return workspace;
}

/** What compose-test is given to run the example on MySQL: its compose file and specs. */
export const GO_AUTH_MYSQL = {
  composeFile: "docker-compose.mysql.yml",
  tests: ["tests/tokens.yml", "tests/mysql/*.yml"],
  /** Tests in those specs: tokens.yml's 7 and tests/mysql/users.yml's 7 (the CLI test names each). */
  total: 14,
};

/** A workspace (owned by `user`) holding a copy of the example service. */
export function goAuthWorkspace(root: string, user: { uid: number; gid: number }): string {
  const workspace = mkdtempSync(join(root, "go-auth-"));
  cpSync(resolve("examples/go-auth"), workspace, { recursive: true });
  chownTree(workspace, user);
  return workspace;
}
