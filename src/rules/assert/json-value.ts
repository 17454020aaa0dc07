import type { JsonType } from "../spec/spec.js";

/** Structural equality of JSON values; object key order does not matter. */
export function isDeepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => isDeepEqualJson(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && isDeepEqualJson(a[key], b[key]));
  }
  return false;
}

/** The JSON type name used by the `type:` matcher. */
export function classifyJsonType(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    default:
      return "object";
  }
}

const MAX_RENDERED_LENGTH = 200;

/** A value as JSON for a failure message, shortened so a large body cannot flood the log. */
export function renderJsonValue(value: unknown): string {
  return shortenText(value === undefined ? "undefined" : JSON.stringify(value));
}

/** Cuts long text and says how much was left out. */
export function shortenText(text: string): string {
  if (text.length <= MAX_RENDERED_LENGTH) return text;
  return `${text.slice(0, MAX_RENDERED_LENGTH)}… (${text.length - MAX_RENDERED_LENGTH} more characters)`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
