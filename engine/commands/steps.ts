// flow steps [NAME]: the built-in steps with their summaries, or one step's options and examples.
import { FlowError } from '../errors.js';
import { builtinModule, builtinNames } from '../builtins.js';
import { importStep } from '../step-module.js';
import { didYouMean } from '../suggest.js';
import type { JSONSchema, Step, StepKind } from '../step.js';

const kinds: StepKind[] = ['source', 'map', 'reduce', 'output'];

async function builtins(): Promise<Step[]> {
  const steps: Step[] = [];
  for (const kind of kinds) {
    for (const name of builtinNames(kind)) steps.push(await importStep(builtinModule(kind, name)!));
  }
  return steps;
}

export async function stepsCommand(names: string[]): Promise<number> {
  const steps = await builtins();
  if (names.length === 0) {
    const width = Math.max(...steps.map((s) => s.name.length));
    for (const kind of kinds) {
      process.stdout.write(`${kind}:\n`);
      for (const step of steps.filter((s) => s.kind === kind)) process.stdout.write(`  ${step.name.padEnd(width)}  ${step.summary}\n`);
    }
    return 0;
  }
  for (const name of names) {
    const matches = steps.filter((s) => s.name === name);
    if (matches.length === 0) {
      const suggestion = didYouMean(name, steps.map((s) => s.name));
      throw new FlowError({ code: 'UNKNOWN_STEP', message: `no built-in step "${name}"`, ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : { hint: 'flow steps lists them' }) });
    }
    for (const step of matches) process.stdout.write(describeStep(step));
  }
  return 0;
}

export function describeStep(step: Step): string {
  const lines = [`${step.name} (${step.kind})`, `  ${step.summary}`];
  if (step.description) lines.push('', ...step.description.split('\n').map((l) => `  ${l}`));
  const props = (step.options.properties ?? {}) as Record<string, JSONSchema>;
  const required = new Set((step.options.required ?? []) as string[]);
  lines.push('', '  options:');
  if (Object.keys(props).length === 0) lines.push('    (none)');
  for (const [key, schema] of Object.entries(props)) {
    const facts = [typeOf(schema), required.has(key) ? 'required' : undefined, schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : undefined]
      .filter(Boolean)
      .join(', ');
    lines.push(`    ${key}  (${facts})`, `      ${String(schema.description ?? '')}`);
  }
  for (const example of step.examples ?? []) {
    lines.push('', `  example: ${example.title}`, ...example.yaml.split('\n').map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n\n`;
}

function typeOf(schema: JSONSchema): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.type)) return (schema.type as string[]).join(' | ');
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    return ((schema.oneOf ?? schema.anyOf) as JSONSchema[]).map(typeOf).join(' | ');
  }
  return 'any';
}
