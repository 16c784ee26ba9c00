import { describe, expect, it } from 'vitest';
import { junitXml, xml } from '../../../../../engine/cli/commands/test/junit.js';
import { parseXml } from './xml.js';

describe('xml', () => {
  it('escapes the five characters; in an attribute, newlines and tabs too', () => {
    expect(xml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(xml('one\ntwo\tthree')).toBe('one\ntwo\tthree');
    expect(xml('one\ntwo\tthree', true)).toBe('one&#10;two&#9;three');
  });

  it('drops terminal colours and characters XML 1.0 cannot hold', () => {
    expect(xml('\x1b[31mred\x1b[0m \u0000\u0007ok\uFFFE')).toBe('red ok');
    expect(xml('emoji 😀 stays')).toBe('emoji 😀 stays');
  });
});

describe('junitXml', () => {
  it('counts tests, failures and errors per suite and in all, with times in seconds', () => {
    const text = junitXml([
      {
        name: 'a.test.yaml',
        cases: [
          { name: 'ok', ms: 1500, passed: true },
          { name: 'bad', ms: 250, passed: false, failure: { type: 'failure', message: 'the result differs\nfrom expect:', body: '- 1\n+ 2 <' } },
        ],
      },
      { name: 'b.test.yaml', cases: [{ name: 'test file', ms: 0, passed: false, failure: { type: 'error', message: 'invalid test file', body: 'x' } }] },
    ]);
    const root = parseXml(text);
    expect(root.attrs).toEqual({ name: 'flow test', tests: '3', failures: '1', errors: '1', time: '1.750' });
    const [a, b] = root.children;
    expect(a!.attrs).toEqual({ name: 'a.test.yaml', tests: '2', failures: '1', errors: '0', time: '1.750' });
    expect(a!.children.map((c) => c.attrs)).toEqual([
      { name: 'ok', classname: 'a.test.yaml', time: '1.500' },
      { name: 'bad', classname: 'a.test.yaml', time: '0.250' },
    ]);
    expect(a!.children[1]!.children[0]).toEqual({ name: 'failure', attrs: { message: 'the result differs\nfrom expect:' }, children: [], text: '- 1\n+ 2 <' });
    expect(b!.children[0]!.children[0]!.name).toBe('error');
  });
});
