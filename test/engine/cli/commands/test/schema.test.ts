import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../../../engine/contract/package.js';
import { schemaText } from '../../../../../engine/planning/schema/schema.js';
import { compileSchema } from '../../../../../engine/planning/validate/validators.js';
import { testFileSchema } from '../../../../../engine/cli/commands/test/schema.js';

const committed = path.join(packageRoot, 'schemas', 'pipeline-test.schema.json');

describe('the test file schema', () => {
  it('is committed as schemas/pipeline-test.schema.json, as flow schema --test prints it', () => {
    // After a change to engine/cli/commands/test/schema.ts: npx tsx engine/cli/cli.ts schema --test > schemas/pipeline-test.schema.json
    expect(readFileSync(committed, 'utf8')).toBe(schemaText(testFileSchema));
  });

  it('accepts every test file in pipelines/, each with the modeline pointing at it', () => {
    const validate = compileSchema(JSON.parse(readFileSync(committed, 'utf8')) as typeof testFileSchema);
    const dir = path.join(packageRoot, 'pipelines');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.yaml'));
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const schemaPath = path
        .relative(path.dirname(path.join(dir, file)), committed)
        .split(path.sep)
        .join('/');
      expect({ file, first: text.split('\n')[0] }).toEqual({ file, first: `# yaml-language-server: $schema=${schemaPath}` });
      const ok = validate(parse(text));
      expect({ file, errors: ok ? null : validate.errors }).toEqual({ file, errors: null });
    }
  });

  it('refuses what a test file must not hold', () => {
    const validate = compileSchema(testFileSchema);
    expect(validate({ pipeline: 'p.yaml', tests: [{ name: 'a', expect: 1 }] })).toBe(true);
    expect(validate({ pipeline: 'p.yaml', tests: [] })).toBe(false);
    expect(validate({ tests: [{ name: 'a' }] })).toBe(false);
    expect(validate({ pipeline: 'p.yaml', tests: [{ name: 'a', expcet: 1 }] })).toBe(false);
    expect(validate({ pipeline: 'p.yaml', tests: [{ name: 'a', input: { parquet: 'x' } }] })).toBe(false);
    expect(validate({ pipeline: 'p.yaml', tests: [{ name: 'a', 'expect-error': {} }] })).toBe(false);
    expect(validate({ pipeline: 'p.yaml', tests: [{ name: 'a', 'expect-error': { line: 0 } }] })).toBe(false);
    expect(validate({ pipeline: 'p.yaml', tests: [{ name: 'a', 'expect-checks': { failed: 'rows' } }] })).toBe(false);
  });
});
