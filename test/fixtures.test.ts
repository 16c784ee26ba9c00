// Every folder under test/fixtures with an expected.json is a pipeline that must fail validation
// with exactly those errors (whole error objects, file paths relative to the folder).
// FLOW_UPDATE_FIXTURES=1 rewrites expected.json from what the engine says: review the diff.
import { readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FlowError, FlowErrors } from '../engine/contract/errors.js';
import { preparePipeline } from '../engine/planning/prepare.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const cases = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'expected.json')));

/** The environment fixtures see: only what they name. */
const fixtureEnv = { FLOW_DATA_DIR: 'data' };

async function fixtureErrors(dir: string): Promise<unknown[]> {
  try {
    await preparePipeline(path.join(dir, 'pipeline.yaml'), { env: fixtureEnv });
  } catch (err) {
    const errors = err instanceof FlowErrors ? err.errors : [err];
    return errors.map((e) => {
      if (!(e instanceof FlowError)) throw e;
      const json = e.toJSON();
      return json.location ? { ...json, location: { ...json.location, file: path.relative(dir, json.location.file) } } : json;
    });
  }
  throw new Error(`${dir}: the pipeline was accepted`);
}

describe('error fixtures', () => {
  it('has the cases the contract names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(18);
  });

  it.each(cases)('%s', async (name) => {
    const dir = path.join(root, name);
    const actual = await fixtureErrors(dir);
    if (process.env.FLOW_UPDATE_FIXTURES === '1') writeFileSync(path.join(dir, 'expected.json'), `${JSON.stringify(actual, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as unknown[];
    expect(actual).toEqual(expected);
  });
});
