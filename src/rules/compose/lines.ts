import { ConfigurationError } from "../../errors.js";

/** Compose's own rule for service names (compose-spec `services` keys). */
export const SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;

/** A POSIX-style environment name; anything else is a typo or a shell expression. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Line {
  number: number;
  text: string;
}

/** Non-blank, non-comment lines, trimmed (so CRLF and YAML indentation do not matter), with their numbers. */
function contentLines(text: string): Line[] {
  return text
    .split("\n")
    .map((raw, i) => ({ number: i + 1, text: raw.trim() }))
    .filter((line) => line.text !== "" && !line.text.startsWith("#"));
}

/**
 * Parses the `images` input: one `service=image` per line, blank lines and
 * `#` comments ignored. A service named twice is an error, not "last wins",
 * because one of the two lines is a mistake.
 */
export function parseServiceImageLines(text: string, input = "images"): Record<string, string> {
  const result = new Map<string, string>();
  for (const line of contentLines(text)) {
    const eq = line.text.indexOf("=");
    const service = eq === -1 ? "" : line.text.slice(0, eq).trim();
    const image = eq === -1 ? "" : line.text.slice(eq + 1).trim();
    if (!SERVICE_NAME.test(service) || image === "" || /\s/.test(image)) {
      throw new ConfigurationError(
        `input '${input}' line ${line.number}: '${line.text}' is not 'service=image'; write one per line, e.g. 'goauth=goauth:sha-0123456'`,
      );
    }
    if (result.has(service)) {
      throw new ConfigurationError(
        `input '${input}' line ${line.number}: service '${service}' is given twice; keep one line for it`,
      );
    }
    result.set(service, image);
  }
  return toRecord(result);
}

/**
 * Parses `KEY=VALUE` lines (like `docker --env-file`): the value is everything
 * after the first `=`, verbatim, so it may hold `=`, spaces or `#`. The line
 * itself is trimmed first. A key given twice is an error.
 */
export function parseEnvLines(text: string, input = "env"): Record<string, string> {
  const result = new Map<string, string>();
  for (const line of contentLines(text)) {
    const eq = line.text.indexOf("=");
    const key = eq === -1 ? line.text : line.text.slice(0, eq);
    if (eq === -1 || !ENV_NAME.test(key)) {
      throw new ConfigurationError(
        `input '${input}' line ${line.number}: '${line.text}' is not 'KEY=VALUE' with KEY made of letters, digits and '_' (not starting with a digit, no spaces around '='); fix the line`,
      );
    }
    if (result.has(key)) {
      throw new ConfigurationError(
        `input '${input}' line ${line.number}: '${key}' is given twice; keep one line for it`,
      );
    }
    result.set(key, line.text.slice(eq + 1));
  }
  return toRecord(result);
}

/** fromEntries defines own properties, so a key like `__proto__` is kept as data, not a prototype. */
function toRecord(map: Map<string, string>): Record<string, string> {
  return Object.fromEntries(map);
}
