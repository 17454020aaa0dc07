import { runFailClosed } from "../runtime/fail-closed.js";
import { describeUnsupportedNode } from "./node-support.js";

/**
 * How every `goflow` command starts and ends: an unsupported Node is refused
 * before anything runs, and the process ends with `main`'s exit code only once
 * `main` returned (see runFailClosed).
 */
export function runCliEntry(name: string, main: () => Promise<number>): void {
  const unsupported = describeUnsupportedNode(process.version);
  if (unsupported) {
    console.error(`error: ${unsupported}`);
    process.exitCode = 1;
    return;
  }
  runFailClosed({ name, fail: (message) => console.error(`error: ${message}`) }, async () => {
    process.exitCode = await main();
  });
}
