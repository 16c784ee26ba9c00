// Reads files for code frames in error messages, once each.
import { readFileSync } from 'node:fs';

const cache = new Map<string, string | undefined>();

export function readSourceCached(file: string): string | undefined {
  if (!cache.has(file)) {
    try {
      cache.set(file, readFileSync(file, 'utf8'));
    } catch {
      cache.set(file, undefined);
    }
  }
  return cache.get(file);
}
