// A mapping written in another form than its schema's (`values-in: { weather: [sun, rain] }` for
// `{ field: weather, values: [sun, rain] }`) gets an error per missing key and per unknown key; they
// are one mistake, said once: what the mapping takes, and what it has instead.
import { FlowError } from '../../contract/errors.js';

/** The errors with each such mapping's missing and unknown keys replaced by one error at the mapping. */
export function sayOtherFormOnce(errors: FlowError[], keysAt: (parentPath: string) => string[] | undefined, parentOf: (path?: string) => string): FlowError[] {
  const byParent = new Map<string, { missing: FlowError[]; unknown: FlowError[] }>();
  for (const e of errors) {
    const guessed = e.code === 'UNKNOWN_KEY' && e.hint?.startsWith('did you mean');
    if ((e.code !== 'MISSING_KEY' && e.code !== 'UNKNOWN_KEY') || guessed || e.path === undefined) continue;
    const parent = parentOf(e.path);
    const group = byParent.get(parent) ?? { missing: [], unknown: [] };
    (e.code === 'MISSING_KEY' ? group.missing : group.unknown).push(e);
    byParent.set(parent, group);
  }
  const replaced = new Map<FlowError, FlowError | undefined>();
  for (const [parent, { missing, unknown }] of byParent) {
    const written = keysAt(parent);
    // Only a mapping that has none of its own keys: one with some is a mapping with a few mistakes.
    if (missing.length === 0 || unknown.length === 0 || written === undefined || written.length !== unknown.length) continue;
    const names = (list: FlowError[]) => list.map((e) => `\`${/`([^`]+)`/.exec(e.message)![1]}\``).join(' and ');
    const one = new FlowError({
      code: 'UNKNOWN_KEY',
      message: `expected a mapping with ${names(missing)}, got one with ${names(unknown)}`,
      path: parent,
      ...(missing[0]!.location ? { location: missing[0]!.location } : {}),
      ...(unknown[0]!.hint ? { hint: unknown[0]!.hint } : {}),
    });
    [...missing, ...unknown].forEach((e, i) => replaced.set(e, i === 0 ? one : undefined));
  }
  return errors.flatMap((e) => (replaced.has(e) ? (replaced.get(e) ? [replaced.get(e)!] : []) : [e]));
}
