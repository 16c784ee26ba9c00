// The files `flow init` writes: a package.json, a tsconfig.json, a pipeline with the schema line, a
// local TypeScript step, its vitest test and a small CSV. Kept as plain strings so they ship inside dist/.

export interface TemplateValues {
  /** npm name of the new project. */
  name: string;
  /** The modeline's schema path, relative to the pipeline file. */
  schema: string;
  /** The dependency spec for flow-pipelines: `^x.y.z`, or `file:` this flow's folder or tarball. */
  flowSpec: string;
  vitestRange: string;
  typescriptRange: string;
}

export function templates(v: TemplateValues): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(
      {
        name: v.name,
        private: true,
        type: 'module',
        scripts: { start: 'flow run pipeline.yaml', validate: 'flow validate pipeline.yaml', test: 'vitest run', typecheck: 'tsc' },
        dependencies: { 'flow-pipelines': v.flowSpec },
        devDependencies: { typescript: v.typescriptRange, vitest: v.vitestRange },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `{
  // flow and vitest run the .ts files as they are: tsc only checks them (npm run typecheck), so it
  // emits nothing and imports may name the .ts file itself (import addTax from './add-tax.ts').
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noEmit": true,
    "allowImportingTsExtensions": true,
    "skipLibCheck": true
  }
}
`,
    'pipeline.yaml': `# yaml-language-server: $schema=${v.schema}
# Orders by customer, with tax added by a local TypeScript step (steps/add-tax.ts).
# Run: npx flow run pipeline.yaml     Check: npx flow validate pipeline.yaml
name: orders-by-customer
params:
  min_amount: 0                     # override: npx flow run pipeline.yaml --set min_amount=10
source:
  step: file
  with:
    path: data/orders.csv           # relative to this file
map:
  - step: filter
    with: { where: "r.amount > \${{ params.min_amount }}" }
  - step: ./steps/add-tax.ts
    with: { rate: 0.2 }
reduce:
  step: group
  with:
    by: customer
    aggregate:
      orders: count
      total: { sum: gross }
`,
    'data/orders.csv': `id,customer,amount
1,ada,10
2,grace,25.5
3,ada,4.5
4,linus,0
5,grace,12
`,
    'steps/add-tax.ts': `// A local map step: adds \`gross\`, the net amount with tax, rounded to cents.
// Used in pipeline.yaml as \`- step: ./steps/add-tax.ts\`; \`with:\` is checked against \`options\`.
import { defineStep } from 'flow-pipelines';

export default defineStep({
  kind: 'map',
  name: 'add-tax',
  summary: 'Adds gross: the amount with tax, rounded to cents.',
  options: {
    type: 'object',
    properties: {
      rate: { type: 'number', minimum: 0, default: 0.2, description: 'The tax rate: 0.2 adds 20%.' },
      field: { type: 'string', default: 'amount', description: 'The field holding the net amount.' },
    },
    additionalProperties: false,
  },
  examples: [{ title: 'Twenty percent', yaml: 'step: ./steps/add-tax.ts\\nwith: { rate: 0.2 }' }],
  // Once per worker thread.
  setup: (options) => ({ rate: options.rate ?? 0.2, field: options.field ?? 'amount' }),
  map: (record: Record<string, unknown>, { rate, field }) => ({
    ...record,
    gross: Math.round(Number(record[field]) * (1 + rate) * 100) / 100,
  }),
});
`,
    'steps/add-tax.test.ts': `import { describe, expect, it } from 'vitest';
import { runStep } from 'flow-pipelines/testing';
import addTax from './add-tax.ts';

describe('add-tax', () => {
  it('adds the amount with tax, rounded to cents', async () => {
    const out = await runStep(addTax, [{ amount: 10 }, { amount: 4.5 }], { rate: 0.2 });
    expect(out).toEqual([
      { amount: 10, gross: 12 },
      { amount: 4.5, gross: 5.4 },
    ]);
  });

  it('reads another field when told to', async () => {
    expect(await runStep(addTax, [{ net: 100 }], { rate: 0.07, field: 'net' })).toEqual([{ net: 100, gross: 107 }]);
  });
});
`,
  };
}
