import { data, Evaluator, Lexer, Parser } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";

/**
 * `${{ }}` evaluated with GitHub's own expression library: the contexts are
 * plain JSON values (github, inputs, needs, matrix, secrets, ...), the result
 * is what the runner would see.
 */
export type Contexts = Record<string, unknown>;

export function evaluateExpression(
  expression: string,
  contexts: Contexts,
  functions?: Map<string, FunctionDefinition>,
): data.ExpressionData {
  const lexed = new Lexer(expression).lex();
  const names = Object.keys(contexts);
  const functionInfos = [...(functions?.values() ?? [])];
  const parsed = new Parser(lexed.tokens, names, functionInfos).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(parsed, context, functions).evaluate();
}

/** A JSON value back from the expression's result (objects, arrays, strings, numbers, booleans, null). */
export function toJson(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer));
}

/**
 * A template string: a lone `${{ x }}` gives x's value as it is (a number stays a
 * number), text with expressions in it gives a string.
 */
export function evaluateTemplate(
  template: string,
  contexts: Contexts,
  functions?: Map<string, FunctionDefinition>,
): unknown {
  const parts = splitTemplate(template);
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.kind === "expression") return toJson(evaluateExpression(only.text, contexts, functions));
  return parts
    .map((part) =>
      part.kind === "text" ? part.text : evaluateExpression(part.text, contexts, functions).coerceString(),
    )
    .join("");
}

type TemplatePart = { kind: "text" | "expression"; text: string };

/** Splits at `${{ … }}`, minding `}}` inside a quoted string of the expression. */
export function splitTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const start = rest.indexOf("${{");
    if (start < 0) {
      parts.push({ kind: "text", text: rest });
      break;
    }
    if (start > 0) parts.push({ kind: "text", text: rest.slice(0, start) });
    let index = start + 3;
    let quoted = false;
    while (index < rest.length) {
      const char = rest[index];
      if (char === "'") quoted = !quoted;
      else if (!quoted && rest.startsWith("}}", index)) break;
      index++;
    }
    if (index >= rest.length) throw new Error(`unterminated expression in '${template}'`);
    parts.push({ kind: "expression", text: rest.slice(start + 3, index).trim() });
    rest = rest.slice(index + 2);
  }
  return parts;
}
