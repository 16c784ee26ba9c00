// How flow inspect says a column's type.
import { describe, expect, it } from 'vitest';
import { typeText } from '../../../../../engine/cli/commands/inspect/render.js';

const column = (type: string, nulls: number, missing: number, values: Record<string, number>) =>
  ({ name: 'x', type, nulls, missing, values }) as Parameters<typeof typeText>[0];

describe('typeText', () => {
  it('names the type, then the nulls and how many of them are missing fields', () => {
    expect(typeText(column('integer', 0, 0, { integer: 4 }))).toBe('integer');
    expect(typeText(column('integer', 3, 0, { integer: 4, null: 3 }))).toBe('integer (3 null)');
    expect(typeText(column('string', 3, 1, { string: 4, null: 2 }))).toBe('string (3 null, 1 missing)');
    expect(typeText(column('string', 3, 3, { string: 4 }))).toBe('string (3 null, all missing)');
    expect(typeText(column('mixed', 1, 0, { integer: 10, string: 2, null: 1 }))).toBe('mixed: integer 10, string 2 (1 null)');
    expect(typeText(column('null', 5, 2, { null: 3 }))).toBe('null (2 missing)');
  });
});
