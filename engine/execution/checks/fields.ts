// The checks' field reads as plain property loads in generated code: fieldReader's closures share
// one feedback vector, so a load through them is megamorphic as soon as two fields are read.

/** JavaScript reading field `name` of the object `r`, as fieldReader does: own fields only. */
export function fieldExpr(name: string): string {
  const key = JSON.stringify(name);
  // A name Object.prototype has needs an own-property check.
  return name in Object.prototype ? `(Object.hasOwn(r, ${key}) ? r[${key}] : undefined)` : `r[${key}]`;
}

/** A reader of one top-level field with code of its own (undefined: missing, or not an object). */
export function compileReader(name: string): (record: unknown) => unknown {
  return new Function(`"use strict"; return function read(r) { return r !== null && typeof r === 'object' ? ${fieldExpr(name)} : undefined; };`)() as (
    record: unknown,
  ) => unknown;
}

/** True when no field is null or missing (a record that is not an object has them all missing). */
export function compileNotNull(fields: readonly string[]): (record: unknown) => boolean {
  if (fields.length === 0) return () => true;
  const tests = fields.map((name) => `${fieldExpr(name)} != null`).join(' && ');
  return new Function(`"use strict"; return function notNull(r) { return r !== null && typeof r === 'object' && ${tests}; };`)() as (
    record: unknown,
  ) => boolean;
}
