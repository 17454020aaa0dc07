import { readFileSync } from "node:fs";

/** Real Go 1.24.4 output; test/fixtures/go/README.md says which command made each file. */
export function goFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/go/${name}`, import.meta.url), "utf8");
}
