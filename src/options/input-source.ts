import { actionInputDefaults, type StageAction } from "./action-inputs.js";

/**
 * Where input values come from, by input name: undefined (or empty) is "not
 * set". Values are trimmed, as `core.getInput` trims them. No source holds
 * global state; each is built over the values it is given.
 */
export type InputSource = (name: string) => string | undefined;

/** Values the CLI's flags give, keyed by input name; booleans and lists are written as inputs write them. */
export type FlagValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/**
 * The runner's INPUT_* variables in `env`, named the way `core.getInput`
 * names them: upper-case, spaces to `_` (dashes stay).
 */
export function environmentInputs(env: Readonly<Record<string, string | undefined>>): InputSource {
  return (name) => env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
}

/** The CLI's flags: a boolean is `true`/`false`, a list one item per line. */
export function flagInputs(flags: FlagValues): InputSource {
  return (name) => {
    const value = flags[name];
    if (value === undefined) return undefined;
    if (typeof value === "boolean") return String(value);
    if (typeof value === "string") return value.trim();
    return value.join("\n").trim();
  };
}

/** A goflow.yml section (or any record of input values). */
export function recordInputs(values: Readonly<Record<string, string>>): InputSource {
  return (name) => values[name]?.trim();
}

/** The defaults the runner fills in from a stage action's action.yml. */
export function defaultInputs(action: StageAction): InputSource {
  return recordInputs(actionInputDefaults[action]);
}

/**
 * Inputs whose empty value is a choice, not "unset": an empty
 * version-tag-prefix means the repository tags releases 1.2.3.
 */
const EMPTY_IS_A_CHOICE: ReadonlySet<string> = new Set(["version-tag-prefix"]);

/**
 * The one way sources are layered: the first that sets a name wins, so the
 * order is the front door (flags or `with:`), then goflow.yml, then the
 * action.yml defaults. Empty means "not set", except where empty is a choice.
 */
export function layerInputs(...sources: readonly InputSource[]): InputSource {
  return (name) => {
    const keepEmpty = EMPTY_IS_A_CHOICE.has(name);
    for (const source of sources) {
      const value = source(name);
      if (value === undefined) continue;
      if (value !== "" || keepEmpty) return value;
    }
    return undefined;
  };
}
