// flow schema [--for PIPELINE]: the draft-07 schema of pipelines, built from the steps' own options;
// flow schema --report: the schema of --report files; flow schema --test: of test files (*.test.yaml).
import { composePipelineSchema, loadBuiltinSteps, pipelineSchemaFor, schemaText } from '../../planning/schema/schema.js';
import { preparePipeline } from '../../planning/prepare.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FlowError } from '../../contract/errors.js';
import { packageRoot } from '../../contract/package.js';

/** The JSON Schema of --report files, kept by hand and checked against real reports (test/engine/cli/commands/report). */
export const reportSchemaFile = path.join(packageRoot, 'schemas', 'report.schema.json');

export async function schemaCommand(positionals: string[], flags: { for?: string; report?: boolean; test?: boolean }): Promise<number> {
  if (positionals.length > 0) {
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `flow schema takes no arguments, got "${positionals[0]}"`,
      hint: 'flow schema --for pipeline.yaml adds its plugin steps',
    });
  }
  if (flags.test) {
    if (flags.for || flags.report) throw new FlowError({ code: 'BAD_ARGS', message: 'flow schema: --test goes alone', hint: 'flow schema --test' });
    process.stdout.write(schemaText((await import('./test/schema.js')).testFileSchema));
    return 0;
  }
  if (flags.report) {
    if (flags.for) throw new FlowError({ code: 'BAD_ARGS', message: 'flow schema: --report and --for go separately', hint: 'flow schema --report' });
    process.stdout.write(readFileSync(reportSchemaFile, 'utf8'));
    return 0;
  }
  const schema = flags.for
    ? await pipelineSchemaFor((await preparePipeline(flags.for, { env: process.env })).plan)
    : composePipelineSchema(await loadBuiltinSteps());
  process.stdout.write(schemaText(schema));
  return 0;
}
