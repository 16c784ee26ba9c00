// Expected and actual values as pretty JSON (BigInt as digits), and a small line diff between them.

/** Pretty JSON, two spaces, BigInt as its digits; undefined as null. */
export function pretty(value: unknown, indent = ''): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (value === null || value === undefined || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${pretty(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** `actual` with its object keys in the order `expected` has them (the others after): key order never fails a test. */
export function align(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(actual)) return actual.map((item, i) => align(item, Array.isArray(expected) ? expected[i] : undefined));
  if (actual === null || typeof actual !== 'object') return actual;
  const source = actual as Record<string, unknown>;
  const model = expected !== null && typeof expected === 'object' && !Array.isArray(expected) ? (expected as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(model)) if (Object.hasOwn(source, key)) out[key] = align(source[key], model[key]);
  for (const key of Object.keys(source)) if (!Object.hasOwn(out, key)) out[key] = align(source[key], undefined);
  return out;
}

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

/** A unified line diff of two texts: `-` lines only in the first, `+` lines only in the second, 3 lines of context. */
export function lineDiff(before: string, after: string, labels: [string, string] = ['expected', 'actual']): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const head = [`- ${labels[0]}`, `+ ${labels[1]}`];
  // Past this size the table would be large: show both whole.
  if (a.length * b.length > MAX_CELLS) return [...head, ...a.map((l) => `- ${l}`), ...b.map((l) => `+ ${l}`)].join('\n');
  const ops = script(a, b);
  const keep = ops.map((op, i) => op.kind !== ' ' || ops.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((o) => o.kind !== ' '));
  const out = [...head];
  let skipped = false;
  ops.forEach((op, i) => {
    if (!keep[i]) {
      if (!skipped) out.push('  ...');
      skipped = true;
      return;
    }
    skipped = false;
    out.push(`${op.kind} ${op.line}`);
  });
  return out.join('\n');
}

/** The edit script from a longest common subsequence of lines. */
function script(a: string[], b: string[]): { kind: ' ' | '-' | '+'; line: string }[] {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const ops: { kind: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}
