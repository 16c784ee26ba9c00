// flow steps [NAME] [--for PIPELINE], through the built CLI: the listing and the one-step pages are
// generated from the step definitions, built-ins and the plugins a pipeline resolves alike.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinSteps } from '../../../../engine/planning/schema/schema.js';
import type { JSONSchema } from '../../../../engine/contract/step.js';
import { root, runFlow } from '../../../helpers/cli.js';

const fixture = path.join('test', 'fixtures', 'plugins', 'pipeline-local.yaml');
const builtins = await loadBuiltinSteps();

describe('flow steps', () => {
  it('shows every option of every built-in step with its type, default and description, and its examples', async () => {
    const run = await runFlow(['steps', ...builtins.map((s) => s.name)]);
    expect(run.code).toBe(0);
    for (const step of builtins) {
      expect(run.stdout).toMatch(new RegExp(`^${escape(step.name)} \\(${step.kind}\\)\n  ${escape(step.summary)}$`, 'm'));
      for (const [key, schema] of Object.entries((step.options.properties ?? {}) as Record<string, JSONSchema>)) {
        expect(run.stdout).toContain(`    ${key}  (`);
        expect(run.stdout).toContain(`      ${String(schema.description)}`);
        if (schema.default !== undefined) expect(run.stdout).toMatch(new RegExp(`${key}  \\([^)]*default ${escape(JSON.stringify(schema.default))}`));
      }
      for (const example of step.examples ?? [])
        expect(run.stdout).toContain(
          example.yaml
            .split('\n')
            .map((l) => `    ${l}`)
            .join('\n'),
        );
    }
  });

  it('renders one step exactly', async () => {
    const run = await runFlow(['steps', 'range']);
    expect(run.stdout).toBe(
      [
        'range (source)',
        "  The numbers start, start+step, ... before end (Python's range); step may be negative.",
        '',
        '  options:',
        '    start  (integer, default 0)',
        '      First number.',
        '    end  (integer, required)',
        '      Where the range stops; not included.',
        '    step  (integer, default 1)',
        '      Difference between consecutive numbers; not 0, negative to count down.',
        '',
        '  example: The numbers 0 to 999',
        '    step: range',
        '    with: { end: 1000 }',
        '',
        '  example: Counting down by twos',
        '    step: range',
        '    with: { start: 10, end: 0, step: -2 }',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--for PIPELINE also lists the local and npm steps the pipeline uses, marked, under their kind', async () => {
    const run = await runFlow(['steps', '--for', fixture]);
    expect(run.code).toBe(0);
    const section = (kind: string) => run.stdout.split(/^(?=\w+:$)/m).find((s) => s.startsWith(`${kind}:`)) ?? '';
    expect(section('map')).toMatch(/^ {2}\.\/steps\/double\.mjs \(local\) +Doubles a field\.$/m);
    expect(section('map')).toMatch(/^ {2}\.\/steps\/hour\.ts \(local\) +Adds the hour of a time field\.$/m);
    expect(section('map')).toMatch(/^ {2}flow-step-upper \(npm\) +\S/m);
    expect(section('reduce')).toMatch(/^ {2}@acme\/flow-steps\/parse-ua \(npm\) +\S/m);
    expect(section('map')).toMatch(/^ {2}filter +Keep the records/m);
    // The check kinds close the listing, each with its description from the schema.
    expect(run.stdout).toMatch(/^checks \(not steps; each with optional name, allow, severity\):\n {2}rows +The number of records/m);
    expect(
      run.stdout
        .trimEnd()
        .split('\n')
        .slice(-6)
        .map((l) => l.trim().split(/ +/)[0]),
    ).toEqual(['rows', 'not-null', 'unique', 'values-in', 'where', 'result']);
    // Without --for, no plugin is listed.
    expect((await runFlow(['steps'])).stdout).not.toContain('(local)');
  });

  it('--for PIPELINE shows a plugin step by the name it is written with, or by its own name', async () => {
    const byPath = await runFlow(['steps', './steps/hour.ts', '--for', fixture]);
    expect(byPath.code).toBe(0);
    const file = path.join(root, 'test/fixtures/plugins/steps/hour.ts');
    expect(byPath.stdout).toBe(
      [
        `./steps/hour.ts (map, local step "hour": ${file})`,
        '  Adds the hour of a time field.',
        '',
        '  options:',
        '    field  (string, required)',
        '      A time field, HHMM.',
        '',
        '',
      ].join('\n'),
    );
    const byName = await runFlow(['steps', 'double', '--for', fixture]);
    expect(byName.stdout).toContain('./steps/double.mjs (map, local step "double"');
    expect(byName.stdout).toContain('    field  (string, default "value")\n      The field to double.');
  });

  it('an unknown name is exit 2 with a suggestion among the pipeline’s steps too', async () => {
    const run = await runFlow(['steps', 'flow-step-uper', '--for', fixture]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: no built-in step and no step of ${fixture} named "flow-step-uper"`);
    expect(run.stderr).toContain('hint: did you mean "flow-step-upper"?');
    expect(run.stdout).toBe('');
  });

  it('--for a pipeline with errors reports them, located, with exit 2', async () => {
    const run = await runFlow(['steps', '--for', 'test/fixtures/plugin-escapes-project/pipeline.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'test/fixtures/plugin-escapes-project/pipeline.yaml:6:11 error: map[0].step: plugin path "../plugins/steps/double.mjs" leads outside',
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
