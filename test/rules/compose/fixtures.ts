import { readFileSync } from "node:fs";
import { parseComposeConfig } from "../../../src/rules/compose/index.js";
import type { ComposeConfig } from "../../../src/rules/compose/types.js";

/**
 * The config-*.json fixtures are real `docker compose -f ... --project-name ... config --format json`
 * output (Docker Compose 2.26.1); the ps-* fixtures follow `docker compose ps --format json` of
 * Compose before 2.21 (one array) and after (one object per line).
 */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/compose/${name}`, import.meta.url), "utf8");
}

export function fixtureConfig(name: string): ComposeConfig {
  return parseComposeConfig(fixtureText(name));
}
