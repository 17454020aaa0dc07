/**
 * A job's `strategy.matrix` expanded as GitHub does: the cartesian product of
 * the array-valued keys, then `exclude` (an entry matching every key it names
 * is dropped), then `include` (extends each combination it does not contradict,
 * or is added as a combination of its own).
 */
export type MatrixLeg = Record<string, unknown>;

export function expandMatrix(matrix: unknown): MatrixLeg[] {
  if (matrix === undefined || matrix === null) return [{}];
  if (typeof matrix !== "object" || Array.isArray(matrix))
    throw new Error(`strategy.matrix must be a mapping, got ${JSON.stringify(matrix)}`);
  const { include, exclude, ...axes } = matrix as Record<string, unknown>;
  let legs: MatrixLeg[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values))
      throw new Error(`strategy.matrix.${key} must be a list, got ${JSON.stringify(values)}`);
    legs = legs.flatMap((leg) => values.map((value) => ({ ...leg, [key]: value })));
  }
  if (Object.keys(axes).length === 0) legs = [];
  for (const rule of asList(exclude, "exclude"))
    legs = legs.filter((leg) => !Object.entries(rule).every(([key, value]) => same(leg[key], value)));
  // An include entry extends the product's own combinations it does not contradict; one that
  // extends none becomes a combination of its own, which later entries never extend.
  const axisNames = Object.keys(axes);
  const added: MatrixLeg[] = [];
  for (const entry of asList(include, "include")) {
    let extended = false;
    legs = legs.map((leg) => {
      const contradicts = Object.entries(entry).some(
        ([key, value]) => axisNames.includes(key) && !same(leg[key], value),
      );
      if (contradicts) return leg;
      extended = true;
      return { ...leg, ...entry };
    });
    if (!extended) added.push({ ...entry });
  }
  legs = [...legs, ...added];
  if (legs.length === 0) throw new Error("strategy.matrix expands to no job");
  return legs;
}

function asList(value: unknown, name: string): MatrixLeg[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`strategy.matrix.${name} must be a list`);
  return value as MatrixLeg[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
