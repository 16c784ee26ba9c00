import { describe, expect, it } from 'vitest';
import { flowVersion, satisfies } from '../../../../engine/planning/resolve/version-range.js';
import { readFileSync } from 'node:fs';
import { root } from '../../../helpers/cli.js';
import path from 'node:path';

describe('satisfies', () => {
  it.each([
    ['0.1.0', '>=0.1 <1', true],
    ['1.0.0', '>=0.1 <1', false],
    ['0.0.9', '>=0.1 <1', false],
    ['0.1.5', '^0.1', true],
    ['0.2.0', '^0.1', false],
    ['0.1.0', '^0.1.2', false],
    ['1.9.9', '^1.2', true],
    ['2.0.0', '^1.2', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['0.5.0', '^0', true],
    ['1.0.0', '^0', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.9.0', '~1', true],
    ['0.1.0', '*', true],
    ['0.1.0', '', true],
    ['0.1.0', '0.x', true],
    ['1.0.0', '0.x', false],
    ['0.1.0', '0.1.0', true],
    ['0.1.1', '=0.1.0', false],
    ['1.5.0', '1 - 2', true],
    ['2.9.0', '1 - 2', true],
    ['3.0.0', '1 - 2', false],
    ['2.3.0', '1.0.0 - 2.3.0', true],
    ['2.3.1', '1.0.0 - 2.3.0', false],
    ['0.1.0', '>=2 || <0.2', true],
    ['0.1.0', '>= 0.1.0 < 0.2', true],
    ['0.1.0', '>0.1', false],
    ['0.2.0', '>0.1', true],
    ['0.1.0', '<=0.1', true],
    ['0.2.0', '<=0.1', false],
    ['1.0.0-beta.2', '>=1.0.0-beta.10', false],
    ['1.0.0-beta.11', '>=1.0.0-beta.10', true],
    ['1.0.0', '>1.0.0-rc.1', true],
  ])('%s in %j: %s', (version, range, want) => {
    expect(satisfies(version, range)).toBe(want);
  });

  // semver with includePrerelease: a prerelease of 0.2.0 is a 0.2 version, not below 0.2 (the old
  // hand-written parser compared it as "less than 0.2.0", the other way round for the last two).
  it.each([
    ['0.2.0-rc.1', '>=0.1', true],
    ['0.2.0-rc.1', '^0.2', true],
    ['0.2.0-rc.1', '0.2.x', true],
    ['0.2.0-rc.1', '>=0.1 <0.2', false],
    ['0.2.0-rc.1', '^0.1', false],
  ])('a prerelease flow: %s in %j: %s', (version, range, want) => {
    expect(satisfies(version, range)).toBe(want);
  });

  it.each([
    ['~>0.1', true],
    ['v0.1.0', true],
    ['0.1.0+build', true],
    ['>=0.1.0 <0.2.0 || 2', true],
  ])('semver also reads %j', (range, want) => {
    expect(satisfies('0.1.0', range)).toBe(want);
  });

  it.each(['banana', '>=x.y', '>=1 <', '1.2.3.4', '^^1'])('%j is not a range', (range) => {
    expect(satisfies('0.1.0', range)).toBeUndefined();
  });

  it('is undefined for a version that is not one', () => {
    expect(satisfies('0.1', '*')).toBeUndefined();
  });

  it('knows its own version', () => {
    expect(flowVersion()).toBe((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
