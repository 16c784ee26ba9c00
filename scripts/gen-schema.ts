// Writes schemas/pipeline.schema.json from the built-in steps, loaded from their TypeScript sources as
// the schema test loads them (no build needed): `npm run gen:schema`, which runs this with tsx.
// `--check` exits 1 instead of writing when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { composePipelineSchema, loadBuiltinSteps, schemaFile, schemaText } from '../engine/planning/schema/schema.js';

const text = schemaText(composePipelineSchema(await loadBuiltinSteps()));
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(schemaFile, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write(`${schemaFile} is out of date: run npm run gen:schema\n`);
    process.exit(1);
  }
} else {
  writeFileSync(schemaFile, text);
  process.stdout.write(`wrote ${schemaFile}\n`);
}
