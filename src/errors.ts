/**
 * A mistake the user can fix: bad input, a missing file, an invalid spec.
 * The message says what is wrong and what to change; `location` points at the
 * file (and line/column) when there is one, so reporters can annotate it.
 */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
  readonly location: SourceLocation | undefined;

  constructor(message: string, location?: SourceLocation) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
    this.location = location;
  }
}

export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}
