// "Did you mean ...?": an optimal-string-alignment distance, and a limit that grows with the word.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../../engine/contract/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['filter', 'filter', 0],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['sum', 'sun', 1],
    ['mean', 'man', 1],
  ])('%j to %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('counts a swap of two neighbouring letters once', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('fliter', 'filter')).toBe(1);
    expect(editDistance('dleay', 'delay')).toBe(1);
    // Two separate swaps are two edits.
    expect(editDistance('fliterd', 'filtedr')).toBe(2);
  });

  it('is the restricted distance: a swapped pair is not edited again', () => {
    // True Damerau-Levenshtein gives 2 (ca -> ac -> abc); optimal string alignment gives 3.
    expect(editDistance('ca', 'abc')).toBe(3);
  });

  it('is case-sensitive (didYouMean lowers the case itself)', () => {
    expect(editDistance('Sum', 'sum')).toBe(1);
  });
});

describe('didYouMean', () => {
  const steps = ['filter', 'transform', 'set', 'select', 'flat-map', 'sum', 'mean', 'min', 'max'];

  it('suggests the closest candidate, in its own spelling', () => {
    expect(didYouMean('fliter', steps)).toBe('filter');
    expect(didYouMean('tranform', steps)).toBe('transform');
    expect(didYouMean('FLATMAP', steps)).toBe('flat-map');
    expect(didYouMean('Select', ['Select', 'delete'])).toBe('Select');
    expect(didYouMean('selct', ['SELECT'])).toBe('SELECT');
  });

  it('prefers the smaller distance, and the first candidate on a tie', () => {
    expect(didYouMean('mix', ['mean', 'max', 'min'])).toBe('max');
    expect(didYouMean('seleckt', ['selects', 'select'])).toBe('select');
    expect(didYouMean('selectt', ['select', 'selects'])).toBe('select');
    expect(didYouMean('selectt', ['selects', 'select'])).toBe('selects');
  });

  it('suggests nothing beyond a third of the word’s length (at least 1)', () => {
    // 6 letters: up to 2 edits.
    expect(didYouMean('abcdef', ['abcdxy'])).toBe('abcdxy');
    expect(didYouMean('abcdef', ['abcxyz'])).toBeUndefined();
    // 2 letters: 1 edit, never 0.
    expect(didYouMean('ab', ['ax'])).toBe('ax');
    expect(didYouMean('ab', ['xy'])).toBeUndefined();
    // 9 letters: up to 3 edits.
    expect(didYouMean('transfrom', ['transform'])).toBe('transform');
    expect(didYouMean('xxansfxrm', ['transform'])).toBe('transform');
    expect(didYouMean('xxansfxxm', ['transform'])).toBeUndefined();
  });

  it('suggests nothing when there are no candidates, and takes any iterable', () => {
    expect(didYouMean('filter', [])).toBeUndefined();
    expect(didYouMean('whre', new Set(['where', 'by']))).toBe('where');
    expect(didYouMean('whre', new Map([['where', 1]]).keys())).toBe('where');
  });
});
