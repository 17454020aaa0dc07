import { describe, expect, it } from "vitest";
import {
  composeProjectName,
  MAX_PROJECT_NAME_LENGTH,
  PROJECT_NAME,
  type ProjectNameParts,
} from "../../../src/rules/compose/index.js";

const BASE: ProjectNameParts = {
  repository: "acme/goauth",
  runId: "9876543210",
  runAttempt: 1,
  job: "integration",
  file: "test/compose/login.yml",
  random: "k3x9",
};

function name(overrides: Partial<ProjectNameParts> = {}): string {
  return composeProjectName({ ...BASE, ...overrides });
}

describe("composeProjectName", () => {
  it.each<[string, Partial<ProjectNameParts>, string]>([
    ["all parts", {}, "goauth-9876543210-1-integration-login-k3x9"],
    [
      "upper case",
      { repository: "Acme/GoAuth", job: "IT", random: "K3X9" },
      "goauth-9876543210-1-it-login-k3x9",
    ],
    [
      "dots and underscores",
      { repository: "acme/go.auth_svc", file: "a/login.spec.yaml" },
      "go-auth-svc-9876543210-1-integration-login-spec-k3x9",
    ],
    [
      "a job with spaces and parentheses",
      { job: "Integration (compose, 2/3)" },
      "goauth-9876543210-1-integration-compose-2-3-login-k3x9",
    ],
    [
      "unicode",
      { repository: "acme/Über-Dienst", job: "тест", file: "café.yml" },
      "uber-dienst-9876543210-1-cafe-k3x9",
    ],
    ["windows path", { file: "test\\compose\\Login.YML" }, "goauth-9876543210-1-integration-login-k3x9"],
    ["repository without owner", { repository: "goauth" }, "goauth-9876543210-1-integration-login-k3x9"],
    ["numbers as numbers", { runId: 42, runAttempt: 3 }, "goauth-42-3-integration-login-k3x9"],
    ["empty parts dropped", { runId: "", runAttempt: undefined, job: "---" }, "goauth-login-k3x9"],
    [
      "leading and trailing separators trimmed",
      { repository: "acme/-_goauth_-", file: ".hidden.yml" },
      "goauth-9876543210-1-integration-hidden-k3x9",
    ],
    [
      "nothing readable",
      { repository: undefined, runId: undefined, runAttempt: undefined, job: "日本", file: undefined },
      "goflow-k3x9",
    ],
  ])("%s → %s", (_, overrides, expected) => {
    expect(name(overrides)).toBe(expected);
  });

  it.each<[string, Partial<ProjectNameParts>]>([
    ["a long repository", { repository: `acme/${"very-long-service-name-".repeat(5)}` }],
    ["a long job", { job: "j".repeat(200) }],
    ["a long file", { file: `${"nested/".repeat(10)}${"x".repeat(100)}.yml` }],
    [
      "everything long",
      { repository: "r".repeat(80), runId: "1".repeat(30), job: "j".repeat(80), file: "f".repeat(80) },
    ],
    ["the longest random", { random: "0123456789abcdef", job: "j".repeat(80) }],
  ])("cuts %s to the limit, keeping the random suffix and a valid name", (_, overrides) => {
    const result = name(overrides);
    expect(result.length).toBeLessThanOrEqual(MAX_PROJECT_NAME_LENGTH);
    expect(result).toMatch(PROJECT_NAME);
    expect(result).not.toMatch(/--|-$/);
    expect(result.endsWith(`-${(overrides.random ?? BASE.random).toLowerCase()}`)).toBe(true);
  });

  it("keeps short parts whole when one long part is cut", () => {
    expect(name({ job: "j".repeat(200) })).toMatch(/^goauth-9876543210-1-j+-login-[0-9a-f]{6}-k3x9$/);
  });

  it.each<[string, Partial<ProjectNameParts>, Partial<ProjectNameParts>]>([
    ["files", { file: "login.yml" }, { file: "logout.yml" }],
    ["attempts", { runAttempt: 1 }, { runAttempt: 2 }],
    ["jobs", { job: "it-1" }, { job: "it-2" }],
    ["random suffixes", { random: "aaaa" }, { random: "bbbb" }],
    [
      "long files sharing a long prefix",
      { file: `${"p".repeat(100)}-a.yml` },
      { file: `${"p".repeat(100)}-b.yml` },
    ],
    [
      "long jobs and attempts",
      { job: "j".repeat(100), runAttempt: 1 },
      { job: "j".repeat(100), runAttempt: 2 },
    ],
  ])("different %s give different names", (_, a, b) => {
    expect(name(a)).not.toBe(name(b));
  });

  it.each(["", "has-dash", "UPPER_", "ü", "0123456789abcdef0"])("rejects the random suffix %j", (random) => {
    expect(() => name({ random })).toThrow(/random suffix/);
  });
});
