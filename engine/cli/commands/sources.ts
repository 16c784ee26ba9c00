// Prints errors on stderr like a compiler, reading each file once for its code frames.
import { readFileSync } from 'node:fs';
import { exitCodeOf, type ExitCode } from '../../contract/errors.js';
import { formatError } from '../format-error.js';

/** Prints an error (with code frames, in colour on a terminal) and returns its exit status. */
export function printError(error: unknown): ExitCode {
  process.stderr.write(`${formatError(error, readSourceCached, { color: process.stderr.isTTY === true && !process.env.NO_COLOR })}\n`);
  return exitCodeOf(error);
}

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
