// The `file` source: records from one file or a glob of files, cut into byte ranges that worker
// threads read on their own.
import { defineStep } from '../../engine/contract/step.js';
import { FlowError } from '../../engine/contract/errors.js';
import {
  describeInputs,
  fileChunks,
  formats,
  jsonRecordLine,
  readCsv,
  readCsvFields,
  eachCsvFields,
  readJsonChunk,
  readLines,
  eachNdjson,
  readNdjson,
  isBlank,
  resolveInputs,
  textChunks,
  type CsvOptions,
  type FileChunk,
  type Format,
  type TextChunk,
} from './readers/index.js';
import { chunkRecordLine } from './locate.js';
import { sourceFields } from './fields.js';

export interface FileSourceOptions {
  path: string;
  format?: Format;
  csv?: CsvOptions;
}

export default defineStep<FileSourceOptions, undefined, FileChunk>({
  kind: 'source',
  name: 'file',
  summary: 'Records from one file or a glob of files (in name order): NDJSON, CSV, TSV, lines of text or a JSON array.',
  description:
    'Text files are cut into byte ranges (about 8 MiB, up to 32 MiB when a reducer runs, less for small inputs) that workers read in parallel; ' +
    '`chunking.records` is honoured approximately, from the mean line length of the first 64 KiB. ' +
    'A JSON array is cut between its top-level elements by a byte scan, without parsing it on the main thread. ' +
    'CSV fields are typed like DuckDB does: an empty field is null, numbers and booleans are converted ' +
    '(a number with a leading zero, such as a zip code, stays text). A quoted CSV field cannot contain a newline.',
  options: {
    type: 'object',
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        description: 'File to read, relative to the pipeline file. Globs allowed: *, **, ?, [...], {a,b}; matched files are read in name order.',
      },
      format: {
        type: 'string',
        enum: [...formats],
        description: 'ndjson | csv | tsv | lines | json. Inferred from the extension when omitted: .ndjson/.jsonl, .csv, .tsv, .txt/.log (lines), .json.',
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
    {
      title: 'A semicolon-separated file without a header',
      yaml: "step: file\nwith:\n  path: data/prices.txt\n  format: csv\n  csv: { header: false, delimiter: ';' }",
    },
  ],
  check(options, ctx) {
    try {
      resolveInputs(options.path, ctx.pipelineDir);
      return [];
    } catch (error) {
      if (!(error instanceof FlowError)) throw error;
      return [{ path: 'path', code: 'NO_INPUT_MATCH', message: error.message, ...(error.hint ? { hint: error.hint } : {}) }];
    }
  },
  split(options, ctx) {
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
    for (const input of inputs) if (input.format !== 'json') texts.set(input, textChunks(input, cut));
    const known = inputs.every((input) => input.format !== 'json');
    const chunks = [...texts.values()].reduce((n, list) => n + list.length, 0);
    const all = fileChunks(inputs, cut, texts);
    return {
      chunks: ctx.hints.rejects ? tolerant(all) : all,
      total: known ? { bytes: totalBytes, chunks } : { bytes: totalBytes },
      inputs: inputs.map((input) => ({ path: input.file, bytes: input.size, format: input.format })),
    };
  },
  fields: sourceFields,
  read: (chunk) => readChunk(chunk.data),
  locate(chunk, k) {
    const data = chunk.data;
    switch (data.format) {
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
    each(chunk, _state, emit) {
      const data = chunk.data;
      if (data.format === 'ndjson') return eachNdjson(data, emit);
      if ((data.format === 'csv' || data.format === 'tsv') && data.fields) return eachCsvFields(data, data.fields, emit);
      for (const record of readChunk(data)) emit(record);
    },
  },
});

/** on-error skip or dead-letter: a bad line of a text file, or element of a JSON array, becomes a BadRecord. */
function* tolerant<C extends { data: FileChunk }>(chunks: Iterable<C>): Generator<C> {
  for (const chunk of chunks) yield { ...chunk, data: { ...chunk.data, rejects: true } };
}

function readChunk(data: FileChunk): Iterable<unknown> {
  switch (data.format) {
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
