import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Machine } from "../options/option-sources.js";

const kindOf = (path: string) => statSync(path, { throwIfNoEntry: false });

/** This machine, as reading options asks about it. */
export const localMachine: Machine = {
  isFile: (path) => kindOf(path)?.isFile() ?? false,
  isDirectory: (path) => kindOf(path)?.isDirectory() ?? false,
  cpus: availableParallelism(),
};
