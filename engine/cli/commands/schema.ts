// flow schema [--for PIPELINE]: the draft-07 schema of pipelines, built from the steps' own options.
import { composePipelineSchema, loadBuiltinSteps, pipelineSchemaFor, schemaText } from '../../planning/schema/schema.js';
import { preparePipeline } from '../../planning/prepare.js';
import { FlowError } from '../../contract/errors.js';

export async function schemaCommand(positionals: string[], flags: { for?: string }): Promise<number> {
  if (positionals.length > 0) {
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `flow schema takes no arguments, got "${positionals[0]}"`,
      hint: 'flow schema --for pipeline.yaml adds its plugin steps',
    });
  }
  const schema = flags.for
    ? await pipelineSchemaFor((await preparePipeline(flags.for, { env: process.env })).plan)
    : composePipelineSchema(await loadBuiltinSteps());
  process.stdout.write(schemaText(schema));
  return 0;
}
