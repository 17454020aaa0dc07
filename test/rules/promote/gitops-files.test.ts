import { describe, expect, it } from "vitest";
import { updateGitopsFile } from "../../../src/rules/promote/gitops-files.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const OLD = `sha256:${"b".repeat(64)}`;
const REPO = "ghcr.io/acme/go-auth";
const pin = { repository: REPO, digest: DIGEST, tag: "staging" };

/** The lines of `after` that differ from `before`, so a test shows the whole change and nothing else moved. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const old = before.split("\n");
  const next = after.split("\n");
  return {
    removed: old.filter((line) => !next.includes(line)),
    added: next.filter((line) => !old.includes(line)),
  };
}

const KUSTOMIZATION = `# staging
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml   # the app
images:
  # pinned by goflow
  - name: go-auth
    newName: ${REPO}
    newTag: develop
  - name: redis
    newTag: "7"
`;

describe("updateGitopsFile: kustomization.yaml", () => {
  it.each([
    {
      name: "a newTag becomes the digest, on the same line",
      entry: `  - name: go-auth\n    newName: ${REPO}\n    newTag: develop\n`,
      removed: ["    newTag: develop"],
      added: [`    digest: ${DIGEST}`],
      previous: "develop",
    },
    {
      name: "an old digest is replaced and a stale newTag dropped",
      entry: `  - name: go-auth\n    newName: ${REPO}\n    newTag: develop # old\n    digest: ${OLD}\n`,
      removed: ["    newTag: develop # old", `    digest: ${OLD}`],
      added: [`    digest: ${DIGEST}`],
      previous: OLD,
    },
    {
      name: "an entry with neither gets a digest line",
      entry: `  - name: go-auth\n    newName: ${REPO}\n`,
      removed: [],
      added: [`    digest: ${DIGEST}`],
      previous: undefined,
    },
    {
      name: "an entry named after the repository (no newName)",
      entry: `  - name: ${REPO}\n    newTag: "1.2.3"\n`,
      removed: ['    newTag: "1.2.3"'],
      added: [`    digest: ${DIGEST}`],
      previous: "1.2.3",
    },
  ])("$name", ({ entry, removed, added, previous }) => {
    const before = `kind: Kustomization\nresources: [deployment.yaml]\nimages:\n${entry}  - name: redis\n    newTag: "7"\n`;
    const update = updateGitopsFile("kustomization.yaml", before, pin);
    expect(update).toMatchObject({ format: "kustomization", changed: true, previous });
    expect(changedLines(before, update.text)).toEqual({ removed, added });
  });

  it("keeps comments and spacing, and a second run changes nothing", () => {
    const first = updateGitopsFile("envs/staging/kustomization.yaml", KUSTOMIZATION, pin);
    expect(first.text).toContain("  - deployment.yaml   # the app\n");
    expect(first.text).toContain("  # pinned by goflow\n");
    const second = updateGitopsFile("envs/staging/kustomization.yaml", first.text, pin);
    expect(second).toEqual({ format: "kustomization", text: first.text, changed: false, previous: DIGEST });
  });

  it("is found by kind: Kustomization whatever the file is called", () => {
    expect(updateGitopsFile("staging.yaml", KUSTOMIZATION, pin).format).toBe("kustomization");
  });

  it("falls back to the library's printer for a flow-style entry, still keeping comments", () => {
    const before = `kind: Kustomization # env\nimages: [{ name: go-auth, newName: ${REPO}, newTag: develop }]\n`;
    const update = updateGitopsFile("kustomization.yaml", before, pin);
    expect(update.text).toContain("# env");
    expect(update.text).toContain(DIGEST);
    expect(update.text).not.toContain("develop");
  });

  it("refuses a kustomization without an entry for the image", () => {
    expect(() =>
      updateGitopsFile("envs/kustomization.yaml", "kind: Kustomization\nimages:\n  - name: redis\n", pin),
    ).toThrow(`envs/kustomization.yaml: no images: entry for ${REPO}; add one`);
  });
});

describe("updateGitopsFile: Helm values", () => {
  const VALUES = `image:\n  repository: ${REPO}\n  # set by goflow\n  tag: "develop"\n  digest: '' # pinned\nreplicas: 2\n`;

  it.each([
    {
      key: "image.digest",
      removed: ["  digest: '' # pinned"],
      added: [`  digest: '${DIGEST}' # pinned`],
      previous: "",
    },
    {
      key: "image.tag",
      removed: ['  tag: "develop"'],
      added: [`  tag: "staging@${DIGEST}"`],
      previous: "develop",
    },
  ])("$key is set in the scalar's own quoting", ({ key, removed, added, previous }) => {
    const update = updateGitopsFile("values.yaml", VALUES, pin, key);
    expect(update).toMatchObject({ format: "helm-values", changed: true, previous });
    expect(changedLines(VALUES, update.text)).toEqual({ removed, added });
    expect(updateGitopsFile("values.yaml", update.text, pin, key).changed).toBe(false);
  });

  it.each([
    { key: "image.sha", error: "values.yaml: gitops-key 'image.sha' is not a value in this file" },
    { key: "image", error: "values.yaml: gitops-key 'image' is not a value in this file" },
  ])("refuses a key that is not a value: $key", ({ key, error }) => {
    expect(() => updateGitopsFile("values.yaml", VALUES, pin, key)).toThrow(error);
  });

  it("refuses a tag key when the promotion has no tag", () => {
    expect(() =>
      updateGitopsFile("values.yaml", VALUES, { repository: REPO, digest: DIGEST }, "image.tag"),
    ).toThrow("gitops-key 'image.tag' takes a tag, and this promotion has none");
  });
});

describe("updateGitopsFile: plain manifests", () => {
  const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: go-auth
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ${REPO}:1.2.3
      containers:
        - name: app
          image: ${REPO}:1.2.3 # app
        - name: cache
          image: redis:7
---
# the service
apiVersion: v1
kind: Service
metadata: {name: go-auth}
`;

  it("pins every image: of the repository, in every document, and nothing else", () => {
    const update = updateGitopsFile("deploy/app.yaml", MANIFESTS, pin);
    expect(update).toMatchObject({ format: "manifests", changed: true, previous: "1.2.3" });
    expect(changedLines(MANIFESTS, update.text)).toEqual({
      removed: [`          image: ${REPO}:1.2.3`, `          image: ${REPO}:1.2.3 # app`],
      added: [`          image: ${REPO}@${DIGEST}`, `          image: ${REPO}@${DIGEST} # app`],
    });
    expect(updateGitopsFile("deploy/app.yaml", update.text, pin)).toMatchObject({
      changed: false,
      previous: DIGEST,
    });
  });

  it("reads Docker Hub's spellings of one repository as one", () => {
    const update = updateGitopsFile(
      "redis.yaml",
      "kind: Pod\nspec:\n  containers:\n    - image: docker.io/library/redis:7\n",
      { repository: "redis", digest: DIGEST },
    );
    expect(update.text).toContain(`image: docker.io/library/redis@${DIGEST}`);
  });

  it("refuses manifests that never use the image", () => {
    expect(() =>
      updateGitopsFile("deploy/app.yaml", "kind: Pod\nspec:\n  containers:\n    - image: redis:7\n", pin),
    ).toThrow(`deploy/app.yaml: no image: field uses ${REPO}`);
  });
});

describe("updateGitopsFile: what it cannot read", () => {
  it.each([
    {
      name: "values without gitops-key",
      text: `image:\n  repository: ${REPO}\n`,
      error: "unknown GitOps file format",
    },
    { name: "a list", text: "- a\n- b\n", error: "unknown GitOps file format" },
    { name: "an empty file", text: "", error: "unknown GitOps file format" },
    { name: "broken YAML", text: "kind: [Deployment\n", error: "not valid YAML" },
  ])("$name", ({ text, error }) => {
    expect(() => updateGitopsFile("env/file.yaml", text, pin)).toThrow(`env/file.yaml: ${error}`);
  });
});
