// The stage's typed options; src/options/go-build.ts defines and reads them for both front doors.
export { BUILTIN_NETWORKS, type BuildOptions, type FormatMode } from "../../options/go-build.js";
