// The stage's typed options; src/options/compose-test.ts defines and reads them for both front doors.
export type { ComposeTestOptions } from "../../options/compose-test.js";
