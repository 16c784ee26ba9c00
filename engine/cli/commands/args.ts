// Command-line values: --set k=v and --workers N.
import { FlowError } from '../../contract/errors.js';

export function parseSetArgs(pairs: string[]): Record<string, string> {
  const set: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      throw new FlowError({ code: 'BAD_ARGS', message: `--set ${pair}: expected NAME=VALUE`, hint: 'e.g. --set min_delay=30' });
    }
    set[key] = pair.slice(eq + 1);
  }
  return set;
}

export function parseWorkers(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new FlowError({ code: 'BAD_ARGS', message: `--workers ${text}: expected a positive integer` });
  }
  return n;
}
