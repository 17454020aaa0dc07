import { ConfigurationError } from "../errors.js";
import type { InputSource } from "./input-source.js";

/**
 * Typed reads over one source; a bad value fails naming the input and what
 * to give instead, before any container starts.
 */
export interface InputReader {
  /** The value, "" when unset; `required` fails instead. */
  string(name: string, options?: { required?: boolean }): string;
  optional(name: string): string | undefined;
  boolean(name: string, fallback: boolean): boolean;
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  /** Newline- or comma-separated items, as docker/build-push-action reads them; `#` lines are skipped. */
  list(name: string): string[];
  integer(name: string, fallback: number, minimum?: number): number;
}

const TRUE = ["true", "yes", "on", "1"];
const FALSE = ["false", "no", "off", "0"];

export function createInputReader(source: InputSource): InputReader {
  const string = (name: string, options: { required?: boolean } = {}): string => {
    const value = source(name)?.trim() ?? "";
    if (options.required && !value)
      throw new ConfigurationError(
        `input '${name}' is required: set it in the step's with: (or in goflow.yml)`,
      );
    return value;
  };
  return {
    string,
    optional: (name) => string(name) || undefined,
    boolean(name, fallback) {
      const value = string(name).toLowerCase();
      if (!value) return fallback;
      if (TRUE.includes(value)) return true;
      if (FALSE.includes(value)) return false;
      throw new ConfigurationError(`input '${name}' is '${string(name)}'; use true or false`);
    },
    choice(name, choices, fallback) {
      const value = string(name);
      if (!value) return fallback;
      const match = choices.find((choice) => choice === value.toLowerCase());
      if (!match)
        throw new ConfigurationError(`input '${name}' is '${value}'; use one of: ${choices.join(", ")}`);
      return match;
    },
    list: (name) =>
      string(name)
        .split(/[\n,]/)
        .map((item) => item.trim())
        .filter((item) => item && !item.startsWith("#")),
    integer(name, fallback, minimum = 0) {
      const value = string(name);
      if (!value) return fallback;
      if (!/^\d+$/.test(value) || Number(value) < minimum)
        throw new ConfigurationError(`input '${name}' is '${value}'; use a whole number >= ${minimum}`);
      return Number(value);
    },
  };
}
