// Warnings at the end of a run (in-process, from source): a field read by a step that no record of
// the source had, with a likely field; --strict fails such a run with exit 3 and writes nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, isFlowError } from '../../../engine/contract/errors.js';
import { runPipeline, summaryOf } from '../../../engine/run/run.js';
import { project } from './harness.js';

const flights = ['{"origin":"SEA","delay":3}', '{"origin":"PDX","delay":20,"gate":"A1"}', '{"origin":"SEA","delay":null}'].join('\n') + '\n';
const pipeline = (reduce: string, extra = '') => `source:\n  step: file\n  with: { path: flights.ndjson }\n${extra}reduce:\n${reduce}`;
const typo = pipeline(
  '  step: group\n  with: { by: orgin, aggregate: { d: { mean: delay } } }\n',
  'map:\n  - step: filter\n    with: { where: "r.dealy != 1" }\n',
);

describe('field warnings', () => {
  it('names the step, the field, where it is written and a likely field, projected or not', async () => {
    for (const env of [{}, { FLOW_NO_PROJECTION: '1' }]) {
      const dir = project({ 'flights.ndjson': flights, 'pipeline.yaml': typo });
      const { summary } = await runPipeline(path.join(dir, 'pipeline.yaml'), { output: false, env });
      expect(summary.warnings).toEqual([
        {
          code: 'UNKNOWN_FIELD',
          message: 'no record has a field "dealy" (map[0].with.where)',
          step: 'map[0] (filter)',
          location: { file: path.join(dir, 'pipeline.yaml'), line: 6, column: 23, length: 5 },
          hint: 'did you mean `delay`? (a field the records have)',
        },
        {
          code: 'UNKNOWN_FIELD',
          message: 'no record has a field "orgin" (reduce.with.by)',
          step: 'reduce (group)',
          location: { file: path.join(dir, 'pipeline.yaml'), line: 9, column: 15, length: 5 },
          hint: 'did you mean `origin`? (a field the records have)',
        },
      ]);
    }
  });

  it('says nothing of a field some record has, a null value included, nor when no record was read', async () => {
    const dir = project({
      'flights.ndjson': flights,
      'empty.ndjson': '',
      'pipeline.yaml': pipeline('  step: group\n  with: { by: gate, aggregate: { d: { max: delay } } }\n'),
      'empty.yaml': pipeline('  step: group\n  with: { by: gate }\n').replace('flights.ndjson', 'empty.ndjson'),
    });
    const { summary, result } = await runPipeline(path.join(dir, 'pipeline.yaml'), { output: false });
    expect(result).toEqual([
      { gate: 'A1', d: 20 },
      { gate: null, d: 3 },
    ]);
    expect(summary.warnings).toBeUndefined();
    expect((await runPipeline(path.join(dir, 'empty.yaml'), { output: false })).summary.warnings).toBeUndefined();
  });

  it('with strict, fails with exit 3 before the output is committed, keeping the old output', async () => {
    const withOutput = `${typo}output:\n  step: file\n  with: { path: out.json }\n`;
    const dir = project({ 'flights.ndjson': flights, 'pipeline.yaml': withOutput, 'out.json': 'old\n' });
    const error = await runPipeline(path.join(dir, 'pipeline.yaml'), { strict: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isFlowError(error) && error.code).toBe('STRICT_WARNINGS');
    expect(exitCodeOf(error)).toBe(3);
    expect((error as Error).message).toBe('the run had 2 warnings and --strict was given: no output was written');
    expect(summaryOf(error)?.warnings?.map((w) => w.step)).toEqual(['map[0] (filter)', 'reduce (group)']);
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('old\n');
    // Without --strict the same run writes its output.
    await runPipeline(path.join(dir, 'pipeline.yaml'));
    expect(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'))).toEqual([{ orgin: null, d: 11.5 }]);
  });

  it('with strict and no warning, writes as usual', async () => {
    const dir = project({ 'flights.ndjson': flights, 'pipeline.yaml': `${pipeline('  step: count\n')}output:\n  step: file\n  with: { path: n.json }\n` });
    const { summary } = await runPipeline(path.join(dir, 'pipeline.yaml'), { strict: true });
    expect(summary.warnings).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(dir, 'n.json'), 'utf8'))).toBe(3);
  });
});
