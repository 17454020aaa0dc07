import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { projectConfigSchema } from "../../src/options/action-inputs.js";
import { computeImageTags, type PullRequestInfo } from "../../src/rules/gitflow/compute-image-tags.js";
import { decidePush, parsePushMode } from "../../src/rules/gitflow/decide-push.js";
import {
  type Contexts,
  evaluateExpression,
  evaluateTemplate,
  toJson,
} from "../harness/workflow/expressions.js";

/**
 * What an independent live run of the reusable workflow found broken, each
 * checked over the workflow itself with GitHub's expression library: a
 * monorepo's legs sharing artifact names and a concurrency group, the registry
 * forced to ghcr.io, a 1-day retention, node20 artifact actions.
 */
interface Step {
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: { name?: string; url?: string };
  concurrency?: { group?: string; "cancel-in-progress"?: unknown };
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix?: Record<string, unknown> };
}
interface Pipeline {
  on: {
    workflow_call: {
      inputs: Record<string, { type: string; default?: string | number | boolean; required?: boolean }>;
      secrets: Record<string, { required?: boolean }>;
      outputs: Record<string, { value: string }>;
    };
  };
  concurrency: { group: string };
  jobs: Record<string, Job>;
}
interface Caller {
  jobs: Record<
    string,
    {
      uses?: string;
      with?: Record<string, string | number | boolean>;
      strategy?: { matrix?: Record<string, unknown[]> };
    }
  >;
}

const pipeline = parseYaml(readFileSync(".github/workflows/pipeline.yml", "utf8")) as Pipeline;
const readCaller = (name: string) =>
  parseYaml(readFileSync(`examples/workflows/${name}.yml`, "utf8")) as Caller;

/** The inputs a call gets: the workflow's defaults under what its with: says. */
function callInputs(given: Record<string, unknown>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(pipeline.on.workflow_call.inputs))
    inputs[name] = spec.default ?? (spec.type === "number" ? 0 : spec.type === "boolean" ? false : "");
  return { ...inputs, ...given };
}

/** Each matrix leg of a caller's pipeline job, as its inputs. */
function legsOf(caller: Caller): Record<string, unknown>[] {
  const job = Object.values(caller.jobs).find((j) => j.uses?.includes("/.github/workflows/pipeline.yml@"));
  if (!job) throw new Error("the caller does not call pipeline.yml");
  const matrix = job.strategy?.matrix ?? {};
  const [key, values] = Object.entries(matrix)[0] ?? ["", [undefined]];
  return (values ?? [undefined]).map((value) => {
    const contexts: Contexts = { matrix: key ? { [key]: value } : {}, github: {}, secrets: {}, vars: {} };
    const given: Record<string, unknown> = {};
    for (const [name, template] of Object.entries(job.with ?? {}))
      given[name] = typeof template === "string" ? evaluateTemplate(template, contexts) : template;
    return callInputs(given);
  });
}

function step(jobId: string, predicate: (step: Step) => boolean): Step {
  const found = pipeline.jobs[jobId]?.steps.find(predicate);
  if (!found) throw new Error(`jobs.${jobId} has no such step`);
  return found;
}

/** Runs the build job's `names` step as the runner would (bash -e, env evaluated); returns its outputs. */
function runNamesStep(inputs: Record<string, unknown>): Record<string, string> {
  const names = step("build", (s) => s.id === "names");
  const folder = mkdtempSync(join(tmpdir(), "goflow-names-"));
  try {
    const output = join(folder, "output");
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", GITHUB_OUTPUT: output };
    for (const [name, template] of Object.entries(names.env ?? {}))
      env[name] = String(evaluateTemplate(template, { inputs }));
    const result = spawnSync(
      "bash",
      ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", names.run ?? ""],
      {
        env,
        encoding: "utf8",
      },
    );
    if (result.status !== 0) throw new Error(`names step failed: ${result.stdout}${result.stderr}`);
    return Object.fromEntries(
      readFileSync(output, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

type Transfer = { job: string; direction: "upload" | "download"; name: string };

/** Names an artifact step uploads or downloads, by the action and its input. */
const ARTIFACT_INPUTS: [RegExp, string, Transfer["direction"]][] = [
  [/^actions\/upload-artifact@/, "name", "upload"],
  [/^actions\/download-artifact@/, "name", "download"],
  [/^\.\/\.goflow-actions\/actions\/go-build$/, "artifact-name", "upload"],
  [/^\.\/\.goflow-actions\/actions\/docker-package$/, "save-artifact", "upload"],
  [/^\.\/\.goflow-actions\/actions\/docker-package$/, "artifact-name", "download"],
  [/^\.\/\.goflow-actions\/actions\/docker-package$/, "load-artifact", "download"],
];

/** Every artifact one call uploads and downloads, each matrix leg of its jobs included. */
function transfersOf(inputs: Record<string, unknown>): Transfer[] {
  const names = runNamesStep(inputs);
  const build = { outputs: evaluateOutputs("build", { inputs, steps: { names: { outputs: names } } }) };
  const packageJob = {
    outputs: evaluateOutputs("package", {
      inputs,
      needs: { build },
      steps: { shards: { outputs: { list: `[${shardList(inputs).join(",")}]` } } },
    }),
  };
  const transfers: Transfer[] = [];
  for (const [jobId, job] of Object.entries(pipeline.jobs)) {
    const shards = job.strategy?.matrix ? shardList(inputs) : [undefined];
    for (const shard of shards) {
      const contexts: Contexts = {
        inputs,
        matrix: shard === undefined ? {} : { shard },
        needs: { build, package: packageJob },
        steps: { names: { outputs: names } },
        runner: { temp: "/runner/temp" },
        github: { actor: "octocat", token: "t" },
        secrets: {},
      };
      for (const s of job.steps) {
        for (const [uses, input, direction] of ARTIFACT_INPUTS) {
          const template = s.with?.[input];
          if (!s.uses || !uses.test(s.uses) || typeof template !== "string") continue;
          transfers.push({ job: jobId, direction, name: String(evaluateTemplate(template, contexts)) });
        }
      }
    }
  }
  return transfers;
}

function evaluateOutputs(jobId: string, contexts: Contexts): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, template] of Object.entries(pipeline.jobs[jobId]?.outputs ?? {})) {
    try {
      outputs[name] = String(evaluateTemplate(template, contexts));
    } catch {
      // An output of a step these tests do not run.
    }
  }
  return outputs;
}

function shardList(inputs: Record<string, unknown>): number[] {
  return Array.from({ length: Number(inputs["test-shards"]) }, (_, index) => index + 1);
}

describe("artifact names", () => {
  const legs = legsOf(readCaller("monorepo"));

  it("the monorepo example has two legs", () => {
    expect(legs.map((leg) => leg.image)).toEqual(["ghcr.io/acme/auth", "ghcr.io/acme/billing"]);
  });

  it("are unique across the legs of one run, every shard included (no 409 Conflict)", () => {
    const uploads = legs
      .map((leg) => ({ ...leg, "test-shards": 2 }))
      .flatMap((leg) => transfersOf(leg).filter((t) => t.direction === "upload"))
      .map((t) => t.name);
    expect(uploads.length).toBe(2 * 5);
    expect(new Set(uploads).size).toBe(uploads.length);
  });

  it("every download is an upload of the same call, never another leg's", () => {
    const [auth = [], billing = []] = legs.map((leg) => transfersOf(leg));
    for (const [own, other] of [
      [auth, billing],
      [billing, auth],
    ] as const) {
      const uploaded = new Set(own.filter((t) => t.direction === "upload").map((t) => t.name));
      const foreign = new Set(other.filter((t) => t.direction === "upload").map((t) => t.name));
      const downloads = own.filter((t) => t.direction === "download");
      expect(downloads.length).toBe(3);
      for (const download of downloads) {
        expect(uploaded).toContain(download.name);
        expect(foreign).not.toContain(download.name);
      }
    }
  });

  it.each([
    [{ image: "ghcr.io/acme/go-auth" }, "goflow-ghcr.io-acme-go-auth"],
    [
      { image: "localhost:5000/acme/app", "working-directory": "./services/app" },
      "goflow-localhost-5000-acme-app-services-app",
    ],
    [{ image: "ghcr.io/acme/app", "artifact-prefix": "app" }, "app"],
  ])("the prefix of %o is %s, characters artifact names allow", (given, prefix) => {
    expect(runNamesStep(callInputs(given)).prefix).toBe(prefix);
  });

  it("a prefix with a character artifact names refuse fails the build job", () => {
    expect(() => runNamesStep(callInputs({ image: "x", "artifact-prefix": "a/b" }))).toThrow(/may hold only/);
  });
});

describe("concurrency", () => {
  const group = (inputs: Record<string, unknown>, ref = "refs/heads/develop") =>
    evaluateTemplate(pipeline.concurrency.group, {
      github: { workflow: "services", ref, event_name: "push" },
      inputs,
    });

  it("gives each monorepo leg its own group, so one leg never cancels or queues behind the other", () => {
    const [auth, billing] = legsOf(readCaller("monorepo"));
    expect(group(auth ?? {})).not.toBe(group(billing ?? {}));
  });

  it("keeps one group per call and ref", () => {
    const [develop] = legsOf(readCaller("develop"));
    expect(group(develop ?? {})).toBe(group(develop ?? {}));
    expect(group(develop ?? {})).not.toBe(group(develop ?? {}, "refs/heads/feature/x"));
  });

  it("the comment does not promise that every push run finishes", () => {
    const text = readFileSync(".github/workflows/pipeline.yml", "utf8");
    expect(text).not.toMatch(/always finish/);
    expect(text).toMatch(/pending run\s*(#\s*)?is replaced/);
  });
});

describe("publish's registry login", () => {
  const publish = step("publish", (s) => s.id === "publish");
  const login = (given: Record<string, unknown>, secrets: Record<string, string> = {}) => {
    const contexts: Contexts = {
      inputs: callInputs(given),
      secrets,
      github: { actor: "octocat", token: "ghs_token" },
      needs: { package: { outputs: { "artifact-prefix": "p" } } },
    };
    const value = (input: string) => evaluateTemplate(String(publish.with?.[input] ?? ""), contexts);
    return { registry: value("registry"), username: value("username"), password: value("password") };
  };

  it.each<[string, Record<string, unknown>, Record<string, string>, ReturnType<typeof login>]>([
    [
      "another registry, no secrets: docker-package's default (the image's host), no ghcr.io login",
      { image: "registry.example.com/acme/go-auth" },
      {},
      { registry: "", username: "", password: "" },
    ],
    [
      "another registry with secrets",
      { image: "registry.example.com/acme/go-auth" },
      { "registry-username": "bot", "registry-password": "pw" },
      { registry: "", username: "bot", password: "pw" },
    ],
    [
      "a ghcr.io image: the actor and GITHUB_TOKEN",
      { image: "ghcr.io/acme/go-auth" },
      {},
      { registry: "", username: "octocat", password: "ghs_token" },
    ],
    [
      "registry ghcr.io named explicitly",
      { image: "ghcr.io/acme/go-auth", registry: "ghcr.io" },
      {},
      { registry: "ghcr.io", username: "octocat", password: "ghs_token" },
    ],
  ])("%s", (_name, given, secrets, expected) => {
    expect(login(given, secrets)).toEqual(expected);
  });

  it("the registry input defaults to empty, not ghcr.io", () => {
    expect(pipeline.on.workflow_call.inputs.registry?.default).toBe("");
  });
});

describe("artifact retention", () => {
  it("keeps artifacts for GitHub's 30-day re-run window by default", () => {
    expect(
      Number(pipeline.on.workflow_call.inputs["artifact-retention-days"]?.default),
    ).toBeGreaterThanOrEqual(30);
  });

  it("every step that uploads passes the retention", () => {
    const uploading = Object.values(pipeline.jobs).flatMap((job) =>
      job.steps.filter(
        (s) =>
          /^actions\/upload-artifact@/.test(s.uses ?? "") ||
          (s.uses === "./.goflow-actions/actions/go-build" && s.with?.["artifact-name"]) ||
          (s.uses === "./.goflow-actions/actions/docker-package" && s.with?.["save-artifact"]),
      ),
    );
    expect(uploading.length).toBe(4);
    for (const s of uploading)
      expect(s.with?.["retention-days"]).toBe("${{ inputs.artifact-retention-days }}");
  });
});

/**
 * The artifact actions' node24 releases, each SHA read from the action's own
 * repository (github.com/actions/upload-artifact, download-artifact) with its
 * action.yml saying `using: node24`.
 */
const NODE24_RELEASES: Record<string, string> = {
  "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f": "v7.0.0",
  "actions/upload-artifact@b7c566a772e6b6bfb58ed0dc250532a479d7789f": "v6.0.0",
  "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c": "v8.0.1",
  "actions/download-artifact@37930b1c2abaa49bbe596cd826c3c89aef350131": "v7.0.0",
};

describe("the artifact actions", () => {
  const pinned = Object.values(pipeline.jobs).flatMap((job) =>
    job.steps.map((s) => s.uses ?? "").filter((uses) => /^actions\/(upload|download)-artifact@/.test(uses)),
  );
  it.each(pinned)("%s is a node24 release", (uses) => {
    expect(Object.keys(NODE24_RELEASES)).toContain(uses);
  });
  it("the comment names the pinned release", () => {
    const text = readFileSync(".github/workflows/pipeline.yml", "utf8");
    for (const [uses, version] of Object.entries(NODE24_RELEASES))
      if (text.includes(uses)) expect(text).toContain(`${uses} # ${version}`);
  });
});

describe("goflow.yml under the reusable workflow", () => {
  // The actions take a non-empty input over goflow.yml, so a stage step must pass "" for every
  // goflow.yml key its caller left unset; else the workflow's defaults hide the caller's goflow.yml.
  const stageSteps: [string, RegExp, keyof typeof projectConfigSchema][] = [
    ["build", /^\.\/\.goflow-actions\/actions\/go-build$/, "build"],
    ["build", /^\.\/\.goflow-actions\/actions\/go-build$/, "package"],
    ["package", /^\.\/\.goflow-actions\/actions\/docker-package$/, "package"],
    ["publish", /^\.\/\.goflow-actions\/actions\/docker-package$/, "package"],
    ["integration-test", /^\.\/\.goflow-actions\/actions\/compose-test$/, "test"],
  ];
  // Set by every call (required inputs) or by the workflow itself: the image under test.
  const setByTheCall = new Set(["image", "images", "compose-service"]);
  const contexts = (inputs: Record<string, unknown>): Contexts => ({
    inputs,
    matrix: { shard: 1 },
    needs: { build: { outputs: {} }, package: { outputs: { image: "ghcr.io/acme/app:develop" } } },
    steps: { names: { outputs: { prefix: "p" } } },
    runner: { temp: "/runner/temp" },
    github: { actor: "octocat", token: "t" },
    secrets: {},
  });
  const passed = (
    jobId: string,
    uses: RegExp,
    section: keyof typeof projectConfigSchema,
    inputs: Record<string, unknown>,
  ) => {
    const s = step(jobId, (candidate) => uses.test(candidate.uses ?? ""));
    const values: Record<string, string> = {};
    for (const key of projectConfigSchema[section]) {
      const template = s.with?.[key];
      if (template === undefined || setByTheCall.has(key)) continue;
      values[key] = String(evaluateTemplate(String(template), contexts(inputs)));
    }
    return values;
  };
  const minimal = { image: "ghcr.io/acme/app", "compose-service": "app" };

  it.each(stageSteps)(
    "%s's %s step passes nothing for an unset goflow.yml %s key",
    (jobId, uses, section) => {
      const values = passed(jobId, uses, section, callInputs(minimal));
      expect(Object.keys(values).length).toBeGreaterThan(0);
      expect(Object.entries(values).filter(([, value]) => value !== "")).toEqual([]);
    },
  );

  it.each(stageSteps)("%s's %s step passes what the caller set for a %s key", (jobId, uses, section) => {
    const given: Record<string, unknown> = { ...minimal };
    for (const [name, spec] of Object.entries(pipeline.on.workflow_call.inputs)) {
      if (!(name in minimal))
        given[name] = spec.type === "boolean" ? true : spec.type === "number" ? 7 : `set-${name}`;
    }
    for (const [key, value] of Object.entries(passed(jobId, uses, section, callInputs(given)))) {
      const input = pipeline.on.workflow_call.inputs[key];
      expect({ key, value }).toEqual({ key, value: input?.type === "boolean" ? "true" : `set-${key}` });
    }
  });

  it("go-build gets docker-package's git-flow inputs, so the stamped version is the image tag", () => {
    const goBuild = step("build", (s) => /^\.\/\.goflow-actions\/actions\/go-build$/.test(s.uses ?? ""));
    const dockerPackage = step("package", (s) => s.id === "package");
    const gitflow = [
      "develop-branch",
      "main-branch",
      "feature-prefix",
      "release-prefix",
      "hotfix-prefix",
      "support-prefix",
      "version-tag-prefix",
      "keep-version-prefix",
    ];
    for (const name of gitflow) {
      expect({ name, template: goBuild.with?.[name] }).toEqual({
        name,
        template: dockerPackage.with?.[name],
      });
      expect(goBuild.with?.[name]).toBeDefined();
    }
  });
});

describe("the deploy jobs", () => {
  const DIGEST = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  const REPOSITORY = "acme/go-auth";
  const minimal = { image: "ghcr.io/acme/go-auth", "compose-service": "goauth" };
  const bothOn = { ...minimal, "deploy-staging": true, "deploy-production": true };

  interface Run {
    event: string;
    ref: string;
    /** A pull request's head repository; another than REPOSITORY is a fork. */
    headRepository?: string;
    inputs: Record<string, unknown>;
    /** What publish's step gives when publish runs: default it pushed DIGEST. */
    publish?: { result: string; digest: string };
  }

  /**
   * One run as GitHub would take it: docker-package's git-flow rules give package's channel and
   * should-push, publish's own `if:` decides whether it runs, and each deploy job's `if:` is
   * evaluated over those needs.
   */
  function deployJobsOf(run: Run): string[] {
    const inputs = callInputs(run.inputs);
    const pullRequest: PullRequestInfo | undefined =
      run.headRepository === undefined
        ? undefined
        : { number: 42, fromFork: run.headRepository !== REPOSITORY };
    const gitflow = computeImageTags({
      eventName: run.event,
      ref: run.ref,
      sha: "0123456789abcdef0123456789abcdef01234567",
      defaultBranch: "main",
      runNumber: 7,
      versionTags: [],
      ...(pullRequest ? { pullRequest } : {}),
    });
    // docker-package's own push rule; it refuses push: true for a fork, which fails the package job.
    let shouldPush = false;
    let packageResult = "success";
    try {
      shouldPush = decidePush(parsePushMode(String(inputs.push ?? "")), gitflow).push;
    } catch {
      packageResult = "failure";
    }
    const github = {
      event_name: run.event,
      ref: run.ref,
      repository: REPOSITORY,
      event: pullRequest ? { pull_request: { head: { repo: { full_name: run.headRepository } } } } : {},
    };
    const packageJob = {
      result: packageResult,
      outputs: { channel: gitflow.channel, version: gitflow.version, "should-push": String(shouldPush) },
    };
    const runs = (jobId: string, needs: Record<string, unknown>) => {
      const condition = pipeline.jobs[jobId]?.if;
      if (!condition) throw new Error(`jobs.${jobId} has no if:`);
      return Boolean(toJson(evaluateExpression(condition, { github, inputs, needs })));
    };
    const published = runs("publish", { package: packageJob });
    const publish = published
      ? { result: run.publish?.result ?? "success", outputs: { digest: run.publish?.digest ?? DIGEST } }
      : { result: "skipped", outputs: {} };
    return ["deploy-staging", "deploy-production"].filter((jobId) =>
      runs(jobId, { package: packageJob, publish }),
    );
  }

  it.each<[string, Run, string[]]>([
    [
      "a push to develop: staging",
      { event: "push", ref: "refs/heads/develop", inputs: bothOn },
      ["deploy-staging"],
    ],
    [
      "a release tag v1.2.3: production",
      { event: "push", ref: "refs/tags/v1.2.3", inputs: bothOn },
      ["deploy-production"],
    ],
    ["a pre-release tag: neither", { event: "push", ref: "refs/tags/v2.0.0-rc.1", inputs: bothOn }, []],
    [
      "a feature branch, even when push: true publishes it: neither",
      { event: "push", ref: "refs/heads/feature/login", inputs: { ...bothOn, push: "true" } },
      [],
    ],
    [
      "a release branch's candidate: neither",
      { event: "push", ref: "refs/heads/release/1.3.0", inputs: bothOn },
      [],
    ],
    ["a push to main: neither", { event: "push", ref: "refs/heads/main", inputs: bothOn }, []],
    [
      "a pull request from the repository, even when push: true publishes it: neither",
      {
        event: "pull_request",
        ref: "refs/pull/42/merge",
        headRepository: REPOSITORY,
        inputs: { ...bothOn, push: "true" },
      },
      [],
    ],
    [
      "a fork's pull request: neither",
      {
        event: "pull_request",
        ref: "refs/pull/42/merge",
        headRepository: "mallory/go-auth",
        inputs: { ...bothOn, push: "true" },
      },
      [],
    ],
    [
      "develop with deploy-staging false (the default): neither",
      { event: "push", ref: "refs/heads/develop", inputs: minimal },
      [],
    ],
    [
      "a release tag with deploy-production false (the default): neither",
      { event: "push", ref: "refs/tags/v1.2.3", inputs: minimal },
      [],
    ],
    [
      "develop with only deploy-production: neither",
      { event: "push", ref: "refs/heads/develop", inputs: { ...minimal, "deploy-production": true } },
      [],
    ],
    [
      "develop with push: false (nothing published): neither",
      { event: "push", ref: "refs/heads/develop", inputs: { ...bothOn, push: "false" } },
      [],
    ],
    [
      "develop whose publish failed: neither",
      {
        event: "push",
        ref: "refs/heads/develop",
        inputs: bothOn,
        publish: { result: "failure", digest: DIGEST },
      },
      [],
    ],
    [
      "develop whose publish gave no digest: neither",
      {
        event: "push",
        ref: "refs/heads/develop",
        inputs: bothOn,
        publish: { result: "success", digest: "" },
      },
      [],
    ],
  ])("%s", (_name, run, expected) => {
    expect(deployJobsOf(run)).toEqual(expected);
  });

  it("the deploy inputs are opt-in booleans, every one described", () => {
    const inputs = pipeline.on.workflow_call.inputs as Record<
      string,
      { type: string; default?: unknown; description?: string }
    >;
    expect(inputs["deploy-staging"]).toMatchObject({ type: "boolean", default: false });
    expect(inputs["deploy-production"]).toMatchObject({ type: "boolean", default: false });
    for (const name of [
      "staging-environment",
      "production-environment",
      "staging-url",
      "production-url",
      "gitops-repository",
      "gitops-branch",
      "staging-gitops-files",
      "production-gitops-files",
      "gitops-key",
    ]) {
      expect({ name, type: inputs[name]?.type }).toEqual({ name, type: "string" });
      expect(inputs[name]?.description?.trim()).toBeTruthy();
    }
    expect(pipeline.on.workflow_call.secrets["gitops-token"]).toMatchObject({ required: false });
  });

  const environments = [
    ["deploy-staging", "staging", "staging-environment", "staging-url", "staging-gitops-files"],
    [
      "deploy-production",
      "production",
      "production-environment",
      "production-url",
      "production-gitops-files",
    ],
  ] as const;

  describe.each(environments)("%s", (jobId, environment, environmentInput, urlInput, filesInput) => {
    const job = (): Job => {
      const found = pipeline.jobs[jobId];
      if (!found) throw new Error(`no job ${jobId}`);
      return found;
    };
    const promote = () => step(jobId, (s) => s.uses === "./.goflow-actions/actions/promote");
    const evaluate = (template: unknown, contexts: Contexts) => evaluateTemplate(String(template), contexts);

    it(`runs in the ${environment} environment by default, its URL empty unless given`, () => {
      const inputs = callInputs(minimal);
      expect(evaluate(job().environment?.name, { inputs })).toBe(environment);
      expect(evaluate(job().environment?.url, { inputs })).toBe("");
      const given = callInputs({
        ...minimal,
        [environmentInput]: "qa",
        [urlInput]: "https://qa.example.com",
      });
      expect(evaluate(job().environment?.name, { inputs: given })).toBe("qa");
      expect(evaluate(job().environment?.url, { inputs: given })).toBe("https://qa.example.com");
    });

    it("has one concurrency group per environment that never cancels a running rollout", () => {
      const group = (inputs: Record<string, unknown>) => evaluate(job().concurrency?.group, { inputs });
      expect(group(callInputs(minimal))).toBe(`deploy-${environment}`);
      expect(group(callInputs({ ...minimal, [environmentInput]: "qa" }))).toBe("deploy-qa");
      expect(job().concurrency?.["cancel-in-progress"]).toBe(false);
    });

    it("its group is never the workflow-level group, so a run does not wait for itself", () => {
      const inputs = callInputs(minimal);
      const github = { workflow: "deploy", ref: "refs/heads/develop", event_name: "push" };
      expect(evaluate(job().concurrency?.group, { inputs, github })).not.toBe(
        evaluate(pipeline.concurrency.group, { inputs, github }),
      );
    });

    it("asks for contents: read and packages: write only (moving a tag is a push)", () => {
      expect(job().permissions).toEqual({ contents: "read", packages: "write" });
    });

    it("promotes the digest publish pushed, to its environment, after publish", () => {
      expect(job().needs).toEqual(expect.arrayContaining(["publish", "package"]));
      const contexts: Contexts = {
        inputs: callInputs({ ...minimal, [filesInput]: `envs/${environment}/kustomization.yaml` }),
        needs: { publish: { outputs: { digest: DIGEST } }, package: { outputs: { version: "1.2.3" } } },
        secrets: { "gitops-token": "gitops-secret" },
        github: { actor: "octocat", token: "ghs_token" },
      };
      const given = Object.fromEntries(
        Object.entries(promote().with ?? {}).map(([name, template]) => [name, evaluate(template, contexts)]),
      );
      expect(given).toMatchObject({
        image: "ghcr.io/acme/go-auth",
        digest: DIGEST,
        version: "1.2.3",
        environment,
        username: "octocat",
        password: "ghs_token",
        "gitops-files": `envs/${environment}/kustomization.yaml`,
        "gitops-token": "gitops-secret",
      });
      expect(evaluate(job().environment?.name, contexts)).toBe(given.environment);
    });

    it("logs in to the registry as publish does", () => {
      const publish = step("publish", (s) => s.id === "publish");
      expect(promote().with?.username).toBe(publish.with?.username);
      expect(promote().with?.password).toBe(publish.with?.password);
    });

    it(`hands promote's previous digest to the workflow's ${environment}-previous-digest output`, () => {
      const previous = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
      expect(promote().id).toBeDefined();
      const outputs = evaluateOutputs(jobId, {
        steps: { [promote().id ?? ""]: { outputs: { "previous-digest": previous } } },
      });
      const value = pipeline.on.workflow_call.outputs[`${environment}-previous-digest`]?.value;
      expect(evaluate(value, { jobs: { [jobId]: { outputs } } })).toBe(previous);
    });
  });

  it("the publish step leaves the tested marker promote requires", () => {
    expect(step("publish", (s) => s.id === "publish").with?.["tested-marker"]).toBe("true");
  });

  it("package passes docker-package's channel on", () => {
    expect(pipeline.jobs.package?.outputs?.channel).toBe("${{ steps.package.outputs.channel }}");
  });
});

/** Where a job checks this workflow's own commit of the toolkit out: the folder its actions run from. */
const SELF_CHECKOUT = {
  repository: "${{ job.workflow_repository }}",
  ref: "${{ job.workflow_sha }}",
  path: ".goflow-actions",
};
const TOOLKIT_USES = /^\.\/\.goflow-actions\/actions\/([\w-]+)$/;

describe("the toolkit's action steps", () => {
  const toolkitSteps = Object.entries(pipeline.jobs).flatMap(([jobId, job]) =>
    job.steps
      .filter((s) => s.uses?.includes("goflow-actions/actions/"))
      .map((s) => [jobId, s.uses ?? "", s] as const),
  );

  it("include promote", () => {
    expect(toolkitSteps.map(([, uses]) => uses)).toContain("./.goflow-actions/actions/promote");
  });

  it("are in every job but none by tag, so a caller pinning pipeline.yml gets that commit's actions", () => {
    expect(new Set(toolkitSteps.map(([jobId]) => jobId))).toEqual(new Set(Object.keys(pipeline.jobs)));
    const text = readFileSync(".github/workflows/pipeline.yml", "utf8");
    expect(text).not.toMatch(/goflow-ci\/goflow-actions\/actions\//);
  });

  it.each(toolkitSteps)(
    "%s: %s is an existing action of the self-checkout done earlier in its job",
    (jobId, uses, s) => {
      const name = TOOLKIT_USES.exec(uses)?.[1];
      expect(name).toBeDefined();
      expect(existsSync(`actions/${name}/action.yml`)).toBe(true);
      const steps = pipeline.jobs[jobId]?.steps ?? [];
      const before = steps.slice(0, steps.indexOf(s));
      const checkout = before.find(
        (candidate) =>
          /^actions\/checkout@[0-9a-f]{40}$/.test(candidate.uses?.split(" ")[0] ?? "") &&
          candidate.with?.path === SELF_CHECKOUT.path,
      );
      expect(checkout?.with).toMatchObject({ ...SELF_CHECKOUT, "persist-credentials": false });
      // The caller's checkout (clean: true) would delete .goflow-actions: it must come first.
      const callerCheckout = steps.findIndex(
        (candidate) => candidate.uses?.startsWith("actions/checkout@") && !candidate.with?.path,
      );
      if (callerCheckout !== -1) expect(callerCheckout).toBeLessThan(steps.indexOf(checkout as Step));
    },
  );

  it.each(toolkitSteps)("%s: %s's action.yml runs code inside the sparse checkout", (_jobId, uses) => {
    const name = TOOLKIT_USES.exec(uses)?.[1];
    const action = parseYaml(readFileSync(`actions/${name}/action.yml`, "utf8")) as {
      runs: Record<string, string>;
    };
    for (const key of ["pre", "main", "post"]) {
      const file = action.runs[key];
      if (file === undefined) continue;
      const resolved = posix.normalize(posix.join("actions", name ?? "", file));
      expect({ key, resolved }).toEqual({ key, resolved: expect.stringMatching(/^(actions|dist)\//) });
    }
  });

  it.each(toolkitSteps)("%s: %s passes only inputs its action.yml declares", (_jobId, uses, s) => {
    const name = TOOLKIT_USES.exec(uses)?.[1];
    const action = parseYaml(readFileSync(`actions/${name}/action.yml`, "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const declared = Object.keys(action.inputs);
    expect(Object.keys(s.with ?? {}).filter((input) => !declared.includes(input))).toEqual([]);
  });
});

describe("the README's Deploying example", () => {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("## Deploying"));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  const caller = parseYaml(block) as Caller & {
    jobs: Record<string, { secrets?: Record<string, string> }>;
  };
  const job = caller.jobs?.pipeline;
  const declared = pipeline.on.workflow_call.inputs;

  it("calls the pipeline with deploy-staging: true", () => {
    expect(job?.uses).toBe("goflow-ci/goflow-actions/.github/workflows/pipeline.yml@v1");
    expect(job?.with?.["deploy-staging"]).toBe(true);
  });

  it("passes every required input and only inputs and secrets the workflow declares", () => {
    const given = Object.keys(job?.with ?? {});
    const required = Object.entries(declared)
      .filter(([, spec]) => spec.required)
      .map(([name]) => name);
    expect(required.filter((name) => !given.includes(name))).toEqual([]);
    expect(given.filter((name) => !(name in declared))).toEqual([]);
    expect(
      Object.keys(job?.secrets ?? {}).filter((name) => !(name in pipeline.on.workflow_call.secrets)),
    ).toEqual([]);
  });
});
