// The stage's typed options; src/options/docker-package.ts defines and reads them for both front doors.
export type { PackageOptions } from "../../options/docker-package.js";
