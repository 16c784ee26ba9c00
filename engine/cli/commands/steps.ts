// flow steps [NAME] [--for PIPELINE]: the built-in steps (and with --for, the local and npm steps the
// pipeline resolves) with their summaries, or one step's options and examples. All of it is read
// from the step definitions themselves.
import { fileURLToPath } from 'node:url';
import { FlowError } from '../../contract/errors.js';
import { preparePipeline } from '../../planning/prepare.js';
import { loadBuiltinSteps, pluginSteps, stepKinds } from '../../planning/schema/schema.js';
import { didYouMean } from '../../contract/suggest.js';
import { checkKindSummaries } from '../../planning/checks/schema.js';
import type { JSONSchema, Step } from '../../contract/step.js';

/** A step as a pipeline names it: built-ins by their name, plugins by the path or package written. */
interface Listed {
  name: string;
  step: Step;
  origin: 'built-in' | 'local' | 'npm';
  /** The plugin's file, for plugins. */
  file?: string;
}

export async function stepsCommand(names: string[], flags: { for?: string } = {}): Promise<number> {
  const listed: Listed[] = (await loadBuiltinSteps()).map((step) => ({ name: step.name, step, origin: 'built-in' }));
  if (flags.for) {
    const { plan } = await preparePipeline(flags.for, { env: process.env });
    for (const plugin of await pluginSteps(plan)) {
      const local = plugin.name.startsWith('./') || plugin.name.startsWith('../');
      listed.push({ name: plugin.name, step: plugin.step, origin: local ? 'local' : 'npm', file: fileURLToPath(plugin.module) });
    }
  }
  if (names.length === 0) {
    process.stdout.write(listing(listed));
    return 0;
  }
  for (const name of names) {
    // A plugin may also be asked for by the name its definition gives itself.
    const matches = listed.filter((s) => s.name === name || (s.origin !== 'built-in' && s.step.name === name));
    if (matches.length === 0) {
      const suggestion = didYouMean(
        name,
        listed.map((s) => s.name),
      );
      const where = flags.for ? `no built-in step and no step of ${flags.for} named "${name}"` : `no built-in step "${name}"`;
      const hint = suggestion
        ? `did you mean "${suggestion}"?`
        : flags.for
          ? `flow steps --for ${flags.for} lists them`
          : 'flow steps lists them; add --for PIPELINE for its plugin steps';
      throw new FlowError({ code: 'UNKNOWN_STEP', message: where, hint });
    }
    for (const match of matches) process.stdout.write(describeListed(match));
  }
  return 0;
}

function listing(listed: Listed[]): string {
  const label = (s: Listed) => (s.origin === 'built-in' ? s.name : `${s.name} (${s.origin})`);
  const width = Math.max(...listed.map((s) => label(s).length));
  const lines: string[] = [];
  for (const kind of stepKinds) {
    lines.push(`${kind}:`);
    for (const s of listed.filter((l) => l.step.kind === kind)) lines.push(`  ${label(s).padEnd(width)}  ${s.step.summary}`);
  }
  // Not steps, but written beside them: the kinds of `checks:` (README, "Data checks").
  lines.push('checks (not steps; each with optional name, allow, severity):');
  for (const [kind, summary] of checkKindSummaries()) lines.push(`  ${kind.padEnd(width)}  ${summary}`);
  return `${lines.join('\n')}\n`;
}

function describeListed({ name, step, origin, file }: Listed): string {
  const heading = origin === 'built-in' ? `${name} (${step.kind})` : `${name} (${step.kind}, ${origin} step "${step.name}": ${file})`;
  return describeStep(step, heading);
}

export function describeStep(step: Step, heading = `${step.name} (${step.kind})`): string {
  const lines = [heading, `  ${step.summary}`];
  if (step.description) lines.push('', ...step.description.split('\n').map((l) => `  ${l}`));
  const props = (step.options.properties ?? {}) as Record<string, JSONSchema>;
  const required = new Set((step.options.required ?? []) as string[]);
  lines.push('', '  options:');
  if (Object.keys(props).length === 0) lines.push('    (none)');
  for (const [key, schema] of Object.entries(props)) {
    const facts = [
      typeOf(schema),
      required.has(key) ? 'required' : undefined,
      schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : undefined,
    ]
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
