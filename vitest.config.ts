import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
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
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          setupFiles: ["test/setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Docker work is CPU-bound on a 2-core machine; run files one or two at a time.
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
    ],
  },
});
