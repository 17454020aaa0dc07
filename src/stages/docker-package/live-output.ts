import type { ProcessOptions } from "../../runtime/process.js";
import type { Reporter } from "../../runtime/reporter.js";

/** Build and push output, line by line as it arrives, so a long build shows progress live. */
export function streamLines(reporter: Reporter): {
  options: Pick<ProcessOptions, "onStdout" | "onStderr">;
  flush(): void;
} {
  const splitter = () => {
    let pending = "";
    return {
      push: (chunk: string) => {
        pending += chunk;
        const lines = pending.split(/\r?\n/);
        pending = lines.pop() ?? "";
        for (const line of lines) reporter.info(line);
      },
      flush: () => {
        if (pending) reporter.info(pending);
        pending = "";
      },
    };
  };
  const stdout = splitter();
  const stderr = splitter();
  return {
    options: { onStdout: stdout.push, onStderr: stderr.push },
    flush: () => {
      stdout.flush();
      stderr.flush();
    },
  };
}
