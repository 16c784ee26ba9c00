import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, toCommandValue, workflowCommand } from '../../../../engine/cli/github/commands.js';

// The expected strings are those of @actions/core's own tests (packages/core/__tests__/command.test.ts).
describe('workflow commands, escaped as @actions/core does', () => {
  it('escapes %, CR and LF in the message', () => {
    expect(workflowCommand('some-command', {}, 'percent % percent % cr \r cr \r lf \n lf \n')).toBe(
      '::some-command::percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A',
    );
    // A message may hold : and , as they are.
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  it('also escapes : and , in properties', () => {
    expect(workflowCommand('some-command', { name: 'percent % percent % cr \r cr \r lf \n lf \n colon : colon : comma , comma ,' }, '')).toBe(
      '::some-command name=percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A colon %3A colon %3A comma %2C comma %2C::',
    );
    expect(escapeProperty('pipelines/x,y:z.yaml')).toBe('pipelines/x%2Cy%3Az.yaml');
  });

  it('numbers and objects go as JSON, nothing as empty; empty properties are left out', () => {
    expect(toCommandValue(14)).toBe('14');
    expect(toCommandValue({ a: 1 })).toBe('{"a":1}');
    expect(toCommandValue(undefined)).toBe('');
    expect(workflowCommand('error', { file: 'p.yaml', line: 14, col: 19, title: undefined, endLine: '' }, 'bad')).toBe(
      '::error file=p.yaml,line=14,col=19::bad',
    );
    expect(workflowCommand('warning', {}, '')).toBe('::warning::');
  });
});
