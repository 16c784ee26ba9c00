// The `file` source: records from one file or a glob of files, cut into byte ranges that worker
// threads read on their own.
import { defineStep } from '../../engine/contract/step.js';
import { FlowError } from '../../engine/contract/errors.js';
import {
  describeInputs,
  fileChunks,
  formats,
  inferFormat,
  jsonRecordLine,
  readCsv,
  readCsvFields,
  eachCsvFields,
  readJsonChunk,
  readLines,
  eachNdjson,
  ndjsonColumns,
  readNdjson,
  isBlank,
  mixedChunks,
  resolveInputs,
  STDIN,
  textChunks,
  type CsvOptions,
  type FileChunk,
  type Format,
  type TextChunk,
} from './readers/index.js';
import { chunkRecordLine } from './locate.js';
import { sourceFields } from './fields.js';
import { isUrl, urlPlan } from './http/plan.js';
import { fetchedRange, isUrlRange } from './http/range-text.js';
import { locatedRange } from './http/locate.js';

/** The Parquet decoder, loaded by `setup` only where Parquet is read (it instantiates WebAssembly). */
type ParquetDecoder = typeof import('./parquet/read.js');

export interface FileSourceOptions {
  path: string;
  format?: Format;
  csv?: CsvOptions;
}

export default defineStep<FileSourceOptions, ParquetDecoder | undefined, FileChunk>({
  kind: 'source',
  name: 'file',
  summary:
    'Records from a file, a glob of files (in name order) or standard input: NDJSON, CSV, TSV, lines of text or a JSON array (plain or gzipped), or Parquet.',
  description:
    'Text files are cut into byte ranges (about 8 MiB, up to 32 MiB when a reducer runs, less for small inputs) that workers read in parallel; ' +
    '`chunking.records` is honoured approximately, from the mean line length of the first 64 KiB. ' +
    'A JSON array is cut between its top-level elements by a byte scan, without parsing it on the main thread. ' +
    'CSV fields are typed like DuckDB does: an empty field is null, numbers and booleans are converted ' +
    '(a number with a leading zero, such as a zip code, stays text). A quoted CSV field cannot contain a newline. ' +
    'gzip files (x.ndjson.gz, x.csv.gz; multi-member too) are known by their magic bytes and read as one stream each: ' +
    'inflated in one place and cut into chunks of whole lines (2 MiB) that go to the workers; ' +
    'a glob of .gz files inflates up to one file per worker at a time. Errors name the line of the decompressed text. ' +
    'path "-" reads standard input and a FIFO is read the same way (gzip or not): format is then required. ' +
    'zip, bzip2, xz, zstd and other binary files are refused. The json format is read from plain files only. ' +
    'Parquet files (.parquet) are read by row groups (a large one by ranges of its rows), only the columns the pipeline uses; ' +
    'integers are numbers (BigInts past 2^53), timestamps and dates text as DuckDB writes them ("2001-01-01 00:01:00"), decimals numbers; ' +
    'records are located by row (x.parquet row 12). ' +
    'An http(s) URL is read like a stream (ndjson, csv, tsv, lines; gzipped or not): in byte ranges fetched in parallel where the server answers them, else as one body; ' +
    'with --queue each worker fetches its own byte ranges (not gzip; the server must answer ranges, and the file must not change during the run); ' +
    'connection errors and 5xx answers are tried 3 times, a 4xx fails at once naming the URL and the status.',
  options: {
    type: 'object',
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        description:
          'File to read, relative to the pipeline file; "-" is standard input. Globs allowed: *, **, ?, [...], {a,b}; matched files are read in name order. A .gz file is read decompressed.',
      },
      format: {
        type: 'string',
        enum: [...formats],
        description:
          'ndjson | csv | tsv | lines | json | parquet. Inferred from the extension when omitted: .ndjson/.jsonl, .csv, .tsv, .txt/.log (lines), .json, .parquet, and the same before .gz (x.csv.gz). Required for standard input.',
      },
      csv: {
        type: 'object',
        description: 'How CSV and TSV files are read.',
        properties: {
          header: { type: 'boolean', default: true, description: 'The first line names the columns (rows are objects); false: rows are arrays.' },
          delimiter: { type: 'string', minLength: 1, maxLength: 1, description: "Field separator: ',' for csv, a tab for tsv unless set." },
          infer: {
            type: 'boolean',
            default: true,
            description: 'Fields that read as numbers or booleans become numbers or booleans, an empty field becomes null; false: every field is a string.',
          },
        },
        additionalProperties: false,
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
  examples: [
    { title: 'An NDJSON file', yaml: 'step: file\nwith: { path: data/flights.ndjson }' },
    { title: 'Every log under a folder', yaml: 'step: file\nwith: { path: "logs/**/*.log" }' },
    { title: 'A Parquet file (only the columns used are read)', yaml: 'step: file\nwith: { path: data/flights.parquet }' },
    { title: 'A gzipped CSV file', yaml: 'step: file\nwith: { path: data/flights.csv.gz }' },
    { title: 'NDJSON on standard input (gzipped or not)', yaml: 'step: file\nwith: { path: "-", format: ndjson }' },
    {
      title: 'A semicolon-separated file without a header',
      yaml: "step: file\nwith:\n  path: data/prices.txt\n  format: csv\n  csv: { header: false, delimiter: ';' }",
    },
  ],
  check(options, ctx) {
    // A URL is first asked for by the run: validation stays offline.
    if (isUrl(options.path)) return [];
    if (options.path === STDIN && options.format === undefined) {
      return [{ path: 'path', code: 'INVALID_VALUE', message: 'path "-" (standard input) needs a format', hint: 'set format: ndjson, csv, tsv or lines' }];
    }
    try {
      resolveInputs(options.path, ctx.pipelineDir);
      return [];
    } catch (error) {
      if (!(error instanceof FlowError)) throw error;
      return [{ path: 'path', code: 'NO_INPUT_MATCH', message: error.message, ...(error.hint ? { hint: error.hint } : {}) }];
    }
  },
  split(options, ctx) {
    if (isUrl(options.path)) return urlPlan(options, ctx);
    const inputs = describeInputs(resolveInputs(options.path, ctx.pipelineDir), ctx.pipelineDir, options.format);
    const totalBytes = inputs.reduce((sum, input) => sum + input.size, 0);
    // The plan leaves the fields out when projection is off (FLOW_NO_PROJECTION=1).
    const fields = ctx.hints.fields;
    const cut = {
      chunking: ctx.chunking,
      workers: ctx.workers,
      totalBytes,
      reduced: ctx.hints.reduced === true,
      ...(options.csv ? { csv: options.csv } : {}),
      ...(fields ? { fields } : {}),
    };
    const texts = new Map<(typeof inputs)[number], TextChunk[]>();
    for (const input of inputs) if (input.format !== 'json' && input.format !== 'parquet' && !input.stream) texts.set(input, textChunks(input, cut));
    const streams = inputs.some((input) => input.stream);
    const known = inputs.every((input) => input.format !== 'json' && input.format !== 'parquet' && !input.stream);
    const chunks = [...texts.values()].reduce((n, list) => n + list.length, 0);
    if (streams) {
      const all = mixedChunks(inputs, cut, texts);
      return {
        chunks: ctx.hints.rejects ? tolerantStream(all) : all,
        // A stream's chunks count its decompressed bytes: the files' sizes are no total of them.
        total: {},
        inputs: inputs.map((input) => ({ path: input.file, bytes: input.size, format: input.format })),
      };
    }
    const all = fileChunks(inputs, cut, texts);
    return {
      chunks: ctx.hints.rejects ? tolerant(all) : all,
      total: known ? { bytes: totalBytes, chunks } : { bytes: totalBytes },
      inputs: inputs.map((input) => ({ path: input.file, bytes: input.size, format: input.format })),
    };
  },
  fields: sourceFields,
  async setup(options, ctx) {
    if (!readsParquet(options, ctx.pipelineDir)) return undefined;
    const decoder = await import('./parquet/read.js');
    await decoder.prepare();
    return decoder;
  },
  // A URL's byte range (a queued run's) is fetched by the worker that reads it.
  prepare: async (chunk) => (isUrlRange(chunk.data) ? { ...chunk, data: await fetchedRange(chunk.data) } : chunk),
  read: (chunk, decoder) => readChunk(chunk.data, decoder),
  async locate(chunk, k) {
    const data = isUrlRange(chunk.data) ? await locatedRange(chunk.data) : chunk.data;
    switch (data.format) {
      case 'parquet':
        // The file's row (1-based): Parquet has no lines.
        return { file: data.name, row: data.groupStart + data.rowStart + k + 1 };
      case 'json':
        return { file: data.name, line: jsonRecordLine(data, k), index: data.first + k };
      case 'ndjson':
        return { file: data.name, line: chunkRecordLine(data, k, (line) => !isBlank(line)) };
      case 'csv':
      case 'tsv':
        return { file: data.name, line: chunkRecordLine(data, k, (line) => line !== '') };
      case 'lines':
        return { file: data.name, line: chunkRecordLine(data, k, () => true) };
    }
  },
  fast: {
    each(chunk, decoder, emit) {
      const data = chunk.data;
      if (data.format === 'ndjson') return eachNdjson(data, emit);
      if (data.format === 'parquet') return parquet(decoder).eachParquet(data, emit);
      if ((data.format === 'csv' || data.format === 'tsv') && data.fields) return eachCsvFields(data, data.fields, emit);
      for (const record of readChunk(data, decoder)) emit(record);
    },
    // A reducer that takes columns skips building records: Parquet is stored by column, NDJSON lines
    // of one shape are read as columns from their bytes (undefined: this chunk goes record by record).
    columns(chunk, decoder) {
      const data = chunk.data;
      if (data.format === 'parquet') return parquet(decoder).parquetColumns(data);
      return data.format === 'ndjson' ? ndjsonColumns(data) : undefined;
    },
  },
});

/** on-error skip or dead-letter: a bad line of a text file, or element of a JSON array, becomes a BadRecord. */
function* tolerant<C extends { data: FileChunk }>(chunks: Iterable<C>): Generator<C> {
  for (const chunk of chunks) yield { ...chunk, data: { ...chunk.data, rejects: true } };
}

async function* tolerantStream<C extends { data: FileChunk }>(chunks: AsyncIterable<C>): AsyncGenerator<C> {
  for await (const chunk of chunks) yield { ...chunk, data: { ...chunk.data, rejects: true } };
}

/** Whether any input is Parquet: by `format`, else by the extension of the files the path names. */
function readsParquet(options: FileSourceOptions, pipelineDir: string): boolean {
  if (options.format !== undefined) return options.format === 'parquet';
  try {
    return resolveInputs(options.path, pipelineDir).some((file) => inferFormat(file) === 'parquet');
  } catch {
    return false;
  }
}

function parquet(decoder: ParquetDecoder | undefined): ParquetDecoder {
  if (!decoder) throw new Error('a Parquet chunk reached a worker whose setup did not load the Parquet decoder');
  return decoder;
}

function readChunk(data: FileChunk, decoder: ParquetDecoder | undefined): Iterable<unknown> {
  switch (data.format) {
    case 'parquet':
      return parquet(decoder).readParquet(data);
    case 'json':
      return readJsonChunk(data);
    case 'ndjson':
      return readNdjson(data);
    case 'csv':
    case 'tsv':
      return data.fields ? readCsvFields(data, data.fields) : readCsv(data);
    case 'lines':
      return readLines(data);
  }
}
