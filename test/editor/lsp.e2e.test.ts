// Editor support, proven with the real yaml-language-server driven over LSP on stdio, as VS Code
// (with the Red Hat YAML extension) or Neovim would drive it. Documents carry the modeline that every
// example pipeline carries, so the server reads flow's schema from disk.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinNames } from '../../steps/registry.js';
import { loadBuiltinSteps } from '../../engine/planning/schema/schema.js';
import { root, runFlow } from '../helpers/cli.js';
import { LspClient, type Diagnostic, type Position } from './lsp-client.js';

const modeline = '# yaml-language-server: $schema=../schemas/pipeline.schema.json';
const schemaUri = pathToFileURL(path.join(root, 'schemas/pipeline.schema.json')).href;

/** The position of `needle` (its `offset`-th character) in `text`, zero-based like LSP. */
function at(text: string, needle: string, offset = 0): Position {
  const index = text.indexOf(needle);
  if (index === -1) throw new Error(`"${needle}" is not in the document`);
  const before = text.slice(0, index + offset).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

function hoverText(hover: { contents: unknown } | null): string {
  const contents = hover?.contents;
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : (c as { value: string }).value)).join('\n');
  return (contents as { value?: string } | undefined)?.value ?? '';
}

let client: LspClient;
let counter = 0;

/** Opens `text` as a document in pipelines/ (not written to disk: editors send the buffer). */
function open(text: string): string {
  return client.open(path.join(root, 'pipelines', `editor-test-${counter++}.yaml`), text);
}

beforeAll(async () => {
  client = new LspClient();
  await client.initialize(root);
});

afterAll(async () => {
  await client?.close();
});

describe('yaml-language-server with flow’s schema', () => {
  const pipeline = [modeline, 'source:', '  step: range', '  with: { end: 10 }', 'map:', '  - step: filter', '    with:', '      ', 'reduce: count', ''].join(
    '\n',
  );

  it('completes the options of the step named by `step:` inside `with:`', async () => {
    const uri = open(pipeline);
    const { items } = await client.completion(uri, { line: 7, character: 6 });
    const where = items.find((i) => i.label === 'where');
    expect(where).toBeDefined();
    expect(where!.documentation).toEqual(expect.stringContaining('Expression over the record r'));
    // Only filter's options: not those of transform (expr) or select (fields).
    expect(items.map((i) => i.label)).not.toContain('expr');
    expect(items.map((i) => i.label)).not.toContain('fields');
  });

  it('completes `step:` with the built-in steps of the slot’s kind', async () => {
    const text = [modeline, 'source:', '  step: range', '  with: { end: 3 }', 'map:', '  - step: ', 'reduce: ', ''].join('\n');
    const uri = open(text);
    const labels = async (position: Position) => (await client.completion(uri, position)).items.map((i) => i.label);
    expect(await labels({ line: 5, character: 10 })).toEqual(builtinNames('map'));
    // A bare reducer name: only the reducers that need no options.
    const optionless = (await loadBuiltinSteps()).filter((s) => s.kind === 'reduce' && !(s.options.required as string[] | undefined)?.length);
    expect(await labels({ line: 6, character: 8 })).toEqual(optionless.map((s) => s.name));
    expect(optionless.map((s) => s.name)).toContain('count');
  });

  it('completes a source step’s options with their descriptions', async () => {
    const text = [modeline, 'source:', '  step: range', '  with:', '    ', ''].join('\n');
    const { items } = await client.completion(open(text), { line: 4, character: 4 });
    expect(Object.fromEntries(items.filter((i) => typeof i.documentation === 'string').map((i) => [i.label, i.documentation]))).toEqual({
      start: 'First number.',
      end: 'Where the range stops; not included.',
      step: 'Difference between consecutive numbers; not 0, negative to count down.',
    });
  });

  it('shows the step’s summary on hover over its name, and an option’s description on hover over the option', async () => {
    const text = [modeline, 'source:', '  step: range', '  with: { end: 10 }', 'map:', '  - step: filter', '    with: { where: "r > 3" }', ''].join('\n');
    const uri = open(text);
    const onName = hoverText(await client.hover(uri, at(text, 'filter', 2)));
    expect(onName).toContain('map step filter');
    expect(onName).toContain('Keep the records for which an expression is truthy.');
    const onOption = hoverText(await client.hover(uri, at(text, 'where', 2)));
    expect(onOption).toContain('Expression over the record r');
    const onSource = hoverText(await client.hover(uri, at(text, 'range', 1)));
    expect(onSource).toContain('source step range');
  });

  it('reports a misspelt option and a value of the wrong type as diagnostics on their lines', async () => {
    const text = [
      modeline,
      'source:',
      '  step: range',
      '  with:',
      '    end: ten',
      'map:',
      '  - step: filter',
      '    with:',
      '      wher: "r > 3"',
      'reduce: count',
      '',
    ].join('\n');
    const uri = open(text);
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    const summary = (d: Diagnostic) => ({
      line: d.range.start.line,
      character: d.range.start.character,
      message: d.message,
      schema: (d as { data?: { schemaUri?: string[] } }).data?.schemaUri,
    });
    expect(diagnostics.map(summary)).toEqual(
      expect.arrayContaining([
        { ...at(text, 'ten'), message: 'Incorrect type. Expected "integer".', schema: [schemaUri] },
        { ...at(text, 'wher:'), message: 'Property wher is not allowed.', schema: [schemaUri] },
      ]),
    );
    // `where` is also missing: reported on the step that lacks it (the `with:` key), not elsewhere.
    const missing = diagnostics.find((d) => d.message === 'Missing property "where".');
    expect(missing?.range.start.line).toBe(at(text, '    with:\n      wher').line);
    expect(diagnostics.every((d) => d.range.start.line >= 4 && d.range.start.line <= 8)).toBe(true);
  });

  it('reports nothing for a correct pipeline', async () => {
    const text = readFileSync(path.join(root, 'pipelines/squares.yaml'), 'utf8');
    const uri = client.open(path.join(root, 'pipelines/squares.yaml'), text);
    expect(await client.waitForDiagnostics(uri, () => true)).toEqual([]);
    expect(hoverText(await client.hover(uri, at(text, 'step: range', 7)))).toContain('source step range');
  });

  it('completes a plugin step’s options from `flow schema --for`, read through a file: URL modeline', async () => {
    const fixture = path.join(root, 'test/fixtures/plugins/pipeline-local.yaml');
    const run = await runFlow(['schema', '--for', fixture]);
    expect(run.code).toBe(0);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-editor-'));
    try {
      const schemaFile = path.join(dir, 'pipeline.schema.json');
      writeFileSync(schemaFile, run.stdout);
      const text = [
        `# yaml-language-server: $schema=${pathToFileURL(schemaFile).href}`,
        'source:',
        '  step: range',
        '  with: { end: 10 }',
        'map:',
        '  - step: ./steps/hour.ts',
        '    with:',
        '      ',
        'reduce: count',
        '',
      ].join('\n');
      const uri = client.open(path.join(path.dirname(fixture), 'editor-test.yaml'), text);
      const { items } = await client.completion(uri, { line: 7, character: 6 });
      expect(items.find((i) => i.label === 'field')?.documentation).toBe('A time field, HHMM.');
      expect(hoverText(await client.hover(uri, at(text, './steps/hour.ts', 3)))).toContain('Adds the hour of a time field.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('example pipelines', () => {
  it('open without a single diagnostic, placeholders in typed options included', async () => {
    const files = readdirSync(path.join(root, 'pipelines')).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
    expect(files.some((f) => /: "\$\{\{ params\.\w+ \}\}"/.test(readFileSync(path.join(root, 'pipelines', f), 'utf8')))).toBe(true);
    for (const file of files) {
      const uri = client.open(path.join(root, 'pipelines', file), readFileSync(path.join(root, 'pipelines', file), 'utf8'));
      expect({ file, diagnostics: await client.waitForDiagnostics(uri, () => true) }).toEqual({ file, diagnostics: [] });
    }
  });

  it('all start with the yaml-language-server modeline pointing at the committed schema', () => {
    const files = readdirSync(path.join(root, 'pipelines')).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const first = readFileSync(path.join(root, 'pipelines', file), 'utf8').split('\n')[0];
      expect({ file, first }).toEqual({ file, first: modeline });
    }
  });
});
