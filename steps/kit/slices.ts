// Numbered sources (range, random) cut into slices of consecutive indexes: a chunk is a slice.

export interface Slice {
  /** Index of the slice's first number in the source. */
  first: number;
  count: number;
}

export function* slices(n: number, size: number): Generator<{ data: Slice; records: number }> {
  for (let first = 0; first < n; first += size) {
    const count = Math.min(size, n - first);
    yield { data: { first, count }, records: count };
  }
}
