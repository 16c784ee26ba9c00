import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../engine/planning/parse.js';
import { errorsOf } from '../../helpers/errors.js';

/** Each error as `line:col message (hint)`. */
const said = (yaml: string) => errorsOf(() => parsePipeline(yaml, '/p.yaml')).map((e) => `${e.location!.line}:${e.location!.column} ${e.message} (${e.hint})`);

describe('unclosed and mismatched brackets', () => {
  it('points at the { that is never closed, not at the line the parser gave up on', () => {
    expect(said('source: { step: file, with: { path: data.csv }\nreduce:\n  step: count\n')).toEqual([
      '1:9 a mapping opened with { is never closed (close it with })',
    ]);
  });

  it('names a list never closed at the end of the file', () => {
    expect(said('a: 1\nb: [1, 2\n')).toEqual(['2:4 a list opened with [ is never closed (close it with ])']);
  });

  it('reports each of several unclosed brackets once', () => {
    expect(said('a: [1,\nb: [2,\nc: 3\n')).toEqual([
      '1:4 a list opened with [ is never closed (close it with ])',
      '2:4 a list opened with [ is never closed (close it with ])',
    ]);
  });

  it('says which bracket a wrong closer leaves open, at the closer', () => {
    expect(said('with: { path: [a.csv, b.csv }\n')).toEqual(['1:29 the list opened with [ at 1:15 is not closed before this } (write ] before the })']);
    expect(said('a: {x: 1]\n')).toEqual(['1:9 this ] does not close the mapping opened with { at 1:4 (write } here)']);
  });

  it('names a closer that closes nothing', () => {
    expect(said('a: [1, 2]]\n')).toEqual(['1:10 this ] closes nothing (remove it, or add the [ it was meant to close)']);
  });

  it('blames the line indented too little when the collection goes on there', () => {
    expect(said('a: {x: 1,\n  y: 2,\nz: 3}\n')).toEqual([
      '3:1 this line is inside the mapping opened with { at 1:4, but is not indented deeper than the line it starts on (indent it deeper than line 1, or keep the { } on one line)',
    ]);
  });

  it('ignores brackets in quotes, comments and plain scalars', () => {
    expect(said('a: { x: "}", y: \'[\' # }\nb: r.x{1}\n')).toEqual(['1:4 a mapping opened with { is never closed (close it with })']);
    expect(() => parsePipeline('a: {x: [1,\n  2]}\nb: "]"\nc: r[0]}\n', '/p.yaml')).not.toThrow();
  });

  it('leaves a bracket open inside an unclosed quote to the quote error', () => {
    expect(said('a: 1\nb: { where: "r > 1 }\n')).toEqual(['2:13 a string opened with " is never closed (close it with ")']);
  });
});
