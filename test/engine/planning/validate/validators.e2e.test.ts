import { createRequire } from 'node:module';
import path from 'node:path';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { ajvOptions, compileSchema, validatorKey } from '../../../../engine/planning/validate/validators.js';
import { structureSchemas } from '../../../../engine/planning/validate/validate.js';
import { loadBuiltinSteps } from '../../../../engine/planning/schema/schema.js';
import { root } from '../../../helpers/cli.js';

const require = createRequire(import.meta.url);
type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const precompiled = require(path.join(root, 'dist/validators.cjs')) as Record<string, Validate>;

describe('validators', () => {
  it("the build precompiles the structure schemas and every built-in step's options (so runs start without ajv)", async () => {
    const { relaxed, envelope } = structureSchemas();
    expect(precompiled[validatorKey(relaxed, false)]).toBeTypeOf('function');
    expect(precompiled[validatorKey(envelope, false)]).toBeTypeOf('function');
    for (const step of await loadBuiltinSteps()) expect(precompiled[validatorKey(step.options, true)], step.name).toBeTypeOf('function');
  });

  it('a precompiled validator reports exactly what ajv reports, defaults included', async () => {
    const group = (await loadBuiltinSteps()).find((s) => s.kind === 'reduce' && s.name === 'group')!;
    const fresh = new AjvModule.default({ ...ajvOptions, useDefaults: true }).compile(group.options) as Validate;
    const built = precompiled[validatorKey(group.options, true)]!;
    for (const input of [{ by: 'a' }, { by: 3 }, { by: 'a', aggregate: { n: 'cnt' } }, { aggregate: {} }, { by: 'a', extra: 1 }]) {
      const a = structuredClone(input);
      const b = structuredClone(input);
      expect(built(a)).toBe(fresh(b));
      expect(a).toEqual(b);
      expect(JSON.parse(JSON.stringify(built.errors ?? null))).toEqual(JSON.parse(JSON.stringify(fresh.errors ?? null)));
    }
  });

  it('compiles any other schema on demand, once per schema object', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', default: 3 } }, additionalProperties: false };
    const validate = compileSchema(schema, true);
    expect(compileSchema(schema, true)).toBe(validate);
    const data: Record<string, unknown> = {};
    expect(validate(data)).toBe(true);
    expect(data).toEqual({ n: 3 });
    expect(validate({ m: 1 })).toBe(false);
  });

  it('keys differ with content and with defaults', () => {
    expect(validatorKey({ type: 'string' }, false)).not.toBe(validatorKey({ type: 'number' }, false));
    expect(validatorKey({ type: 'string' }, false)).not.toBe(validatorKey({ type: 'string' }, true));
  });
});
