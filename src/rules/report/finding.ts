import type { SourceLocation } from "../../errors.js";

/**
 * Something worth pointing at in a file: an unformatted file, a failing test,
 * a compiler error, a failed spec assertion. Reporters turn findings into
 * annotations on GitHub and into `file:line: message` lines in a terminal.
 */
export interface Finding {
  severity: "error" | "warning" | "notice";
  message: string;
  /** Short heading shown above the message in the GitHub UI. */
  title?: string;
  location?: SourceLocation;
}
