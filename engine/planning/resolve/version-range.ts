// npm-style version ranges, for a step's `flow:` field (the flow versions it supports), by semver
// (node-semver's own grammar). A prerelease flow counts as in a range that its version sorts into
// (includePrerelease): a plugin's ">=0.1" should not rule out flow 0.2.0-rc.1.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type semverSatisfies from 'semver/functions/satisfies.js';
import type validVersion from 'semver/functions/valid.js';
import type validRange from 'semver/ranges/valid.js';
import { packageRoot } from '../../contract/package.js';

// Required on first use: only a plugin that declares `flow:` needs semver, so a run of built-in steps
// starts without loading it.
const require = createRequire(import.meta.url);
const semver = () => ({
  satisfies: require('semver/functions/satisfies.js') as typeof semverSatisfies,
  validVersion: require('semver/functions/valid.js') as typeof validVersion,
  validRange: require('semver/ranges/valid.js') as typeof validRange,
});

let own: string | undefined;
/** The version of this flow, from its package.json. */
export function flowVersion(): string {
  own ??= (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return own;
}

/** True when `version` is in `range`; undefined when `range` is not a range (or `version` not a version). */
export function satisfies(version: string, range: string): boolean | undefined {
  const { satisfies, validVersion, validRange } = semver();
  if (validRange(range) === null || validVersion(version) === null) return undefined;
  return satisfies(version, range, { includePrerelease: true });
}

/** Why a step's `flow:` range rules this flow out (or is not a range), or undefined when it fits. */
export function flowRangeProblem(name: string, range: unknown): { message: string; hint: string } | undefined {
  if (range === undefined) return undefined;
  const fits = typeof range === 'string' ? satisfies(flowVersion(), range) : undefined;
  if (fits === undefined) {
    return {
      message: `"${name}" declares flow: ${JSON.stringify(range)}, which is not a version range`,
      hint: 'write an npm-style range of flow versions, e.g. ">=0.1 <1" or "^0.1"',
    };
  }
  if (fits) return undefined;
  return {
    message: `"${name}" supports flow ${range}, but this is flow ${flowVersion()}`,
    hint: `install a version of "${name}" made for flow ${flowVersion()}, or a flow in ${range}`,
  };
}
