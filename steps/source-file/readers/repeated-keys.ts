// A key repeated in one object of a line the projecting NDJSON reader scans: JSON.parse would keep the
// last value silently, so such a line goes to parseExact, which names the key (exact-json.ts).

/** Whether two of the raw keys s[froms[i], tos[i]) are the same text. */
export function repeated(s: string, froms: number[], tos: number[]): boolean {
  const n = froms.length;
  if (n > 16) {
    const names = new Set<string>();
    for (let a = 0; a < n; a++) names.add(s.slice(froms[a], tos[a]));
    return names.size < n;
  }
  for (let a = 1; a < n; a++) {
    const len = tos[a]! - froms[a]!;
    for (let b = 0; b < a; b++) if (tos[b]! - froms[b]! === len && sameText(s, froms[a]!, froms[b]!, len)) return true;
  }
  return false;
}

function sameText(s: string, a: number, b: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (s.charCodeAt(a + i) !== s.charCodeAt(b + i)) return false;
  return true;
}
