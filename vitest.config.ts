import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * The workflow parser ships source-map comments pointing at sources it does not ship; Vite would
 * warn about each of its files on every run. Loading them without the comment keeps the log readable.
 */
const withoutParserSourceMaps: Plugin = {
  name: "without-workflow-parser-source-maps",
  load(id) {
    if (!/@actions\/workflow-parser\/dist\/.*\.js$/.test(id)) return null;
    return { code: readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, ""), map: null };
  },
};

const e2e = {
  setupFiles: ["test/setup.ts"],
  // Hang-catchers, not timings: a cold Go build on a loaded 2-core machine takes minutes.
  testTimeout: 600_000,
  hookTimeout: 600_000,
  // Docker work is CPU-bound on a 2-core machine; run files one or two at a time.
  maxWorkers: 2,
  fileParallelism: true,
  // The workflow runner reads workflows with GitHub's parser (see the unit project).
  server: { deps: { inline: ["@actions/workflow-parser"] } },
};

export default defineConfig({
  test: {
    // Under CI the suite must run on Node 24, the runtime of record (test/global-setup.ts).
    globalSetup: ["test/global-setup.ts"],
    projects: [
      {
        plugins: [withoutParserSourceMaps],
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**"],
          setupFiles: ["test/setup.ts"],
          // The workflow parser imports its JSON schemas without import attributes, which Node
          // rejects; bundling it through Vite (as issue #2 asks: "bundled for the test") fixes that.
          server: { deps: { inline: ["@actions/workflow-parser"] } },
        },
      },
      {
        plugins: [withoutParserSourceMaps],
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], ...e2e },
      },
      {
        // The CLI supports Node 22 as well: its end-to-end files (*-cli.test.ts) run once more there,
        // after the e2e project (npm run test:e2e), so the two never load the machine together.
        plugins: [withoutParserSourceMaps],
        test: {
          name: "e2e-cli-node22",
          include: ["test/e2e/**/*-cli.test.ts"],
          env: { GOFLOW_CLI_NODE: "22" },
          ...e2e,
        },
      },
    ],
  },
});
