import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
} from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { type Contexts, evaluateExpression, evaluateTemplate, toJson } from "./expressions.js";

/**
 * A token of GitHub's converted workflow template as the JSON value the runner
 * would see: literals as they are, `${{ }}` (the parser has already turned
 * `a-${{ x }}` into `format('a-{0}', x)`) evaluated with the given contexts.
 */
export function evaluateToken(
  token: TemplateToken | undefined,
  contexts: Contexts,
  functions?: Map<string, FunctionDefinition>,
): unknown {
  if (token === undefined) return undefined;
  if (isBasicExpression(token)) return toJson(evaluateExpression(token.expression, contexts, functions));
  if (isString(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, contexts, functions));
  if (isMapping(token)) {
    const object: Record<string, unknown> = {};
    for (const pair of token)
      object[String(evaluateToken(pair.key, contexts, functions))] = evaluateToken(
        pair.value,
        contexts,
        functions,
      );
    return object;
  }
  return null;
}

/**
 * A value of the raw YAML (the fields the converter does not keep: `with`,
 * `shell`, `working-directory`, `timeout-minutes`, `permissions`): strings are
 * templates, objects and arrays are walked.
 */
export function evaluateRaw(
  value: unknown,
  contexts: Contexts,
  functions?: Map<string, FunctionDefinition>,
): unknown {
  if (typeof value === "string") return evaluateTemplate(value, contexts, functions);
  if (Array.isArray(value)) return value.map((item) => evaluateRaw(item, contexts, functions));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, evaluateRaw(item, contexts, functions)]),
    );
  return value;
}

/** The runner's string form of an expression result (inputs, env values, outputs). */
export function asString(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
