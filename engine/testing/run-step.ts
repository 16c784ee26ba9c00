// runStep: a step on given records and options, in this thread, the way the engine runs it
// (options validated, setup once, records and accumulators cloned as if they crossed a thread).
import type { Chunk, ColumnBatch, MapStep, ReduceStep, SourceStep, StepContext } from '../contract/step.js';
import { isDeepStrictEqual } from 'node:util';
import { testContext, validateOptions } from './options.js';

export interface RunStepContext extends Partial<StepContext> {
  /** Reduce steps: cut the records into this many chunks, reduced apart and merged in order (default 1). */
  chunks?: number;
}

/** A map step: the records it outputs, in order (undefined from map() drops a record). */
export function runStep<O, S>(step: MapStep<O, S>, records: Iterable<unknown>, options?: Partial<O>, ctx?: RunStepContext): Promise<unknown[]>;
/** A reducer: finish() of the accumulated records. */
export function runStep<O, S, A, R>(step: ReduceStep<O, S, A, R>, records: Iterable<unknown>, options?: Partial<O>, ctx?: RunStepContext): Promise<R>;
/** A source step: all its records, chunk by chunk in order. */
export function runStep<O, S, D>(step: SourceStep<O, S, D>, options?: Partial<O>, ctx?: RunStepContext): Promise<unknown[]>;
export async function runStep(step: MapStep | ReduceStep | SourceStep, ...args: unknown[]): Promise<unknown> {
  if (step.kind === 'source') return runSource(step, args[0], (args[1] ?? {}) as RunStepContext);
  const records = [...(args[0] as Iterable<unknown>)];
  const ctx = (args[2] ?? {}) as RunStepContext;
  const options = validateOptions(step, args[1] ?? {}, ctx);
  if (step.kind === 'map') return runMap(step, records, options, testContext(ctx));
  if (step.kind === 'reduce') return runReduce(step, records, options, testContext(ctx), ctx.chunks ?? 1);
  throw new TypeError(`runStep: a ${(step as { kind: string }).kind} step cannot be run on records`);
}

async function runMap(step: MapStep, records: unknown[], options: unknown, ctx: StepContext): Promise<unknown[]> {
  const state = await step.setup?.(options, ctx);
  const out = mapRecords(step, state, records);
  // The bulk form must give what map gives, whenever it gives anything.
  const bulk =
    step.fast?.numbers && records.every((r) => typeof r === 'number') ? step.fast.numbers.map(Float64Array.from(records as number[]), state) : undefined;
  if (bulk) sameAs(`${step.name}: fast.numbers.map`, Array.from(bulk), out);
  // What a worker sends back must survive the thread boundary.
  return structuredClone(out);
}

/** A speed-up that gives other values than the plain member is a bug in the step: say which. */
function sameAs(what: string, fast: unknown, plain: unknown): void {
  if (!isDeepStrictEqual(fast, plain)) {
    throw new Error(
      `${what} gives other values than the plain member (speed-ups must give exactly the same): ${JSON.stringify(fast)?.slice(0, 200)} vs ${JSON.stringify(plain)?.slice(0, 200)}`,
    );
  }
}

/** A map step over records in order, as a worker applies it: `undefined` drops, flatMap fans out. */
export function mapRecords(step: MapStep, state: unknown, records: Iterable<unknown>): unknown[] {
  const out: unknown[] = [];
  for (const record of records) {
    if (step.flatMap) out.push(...step.flatMap(record, state));
    else {
      const value = step.map!(record, state);
      if (value !== undefined) out.push(value);
    }
  }
  return out;
}

function runReduce(step: ReduceStep, records: unknown[], options: unknown, ctx: StepContext, chunks: number): unknown {
  const state = step.setup?.(options, ctx);
  const size = Math.max(1, Math.ceil(records.length / Math.max(1, chunks)));
  let acc = step.init(state);
  for (let start = 0; start === 0 || start < records.length; start += size) {
    let part = step.init(state);
    for (const record of records.slice(start, start + size)) part = step.add(part, record, state);
    acc = step.merge(acc, structuredClone(part), state);
  }
  const result = step.finish(acc, state);
  if (step.fast?.numbers && records.every((r) => typeof r === 'number')) {
    let bulk: unknown;
    try {
      bulk = step.finish(step.fast.numbers(step.init(state), Float64Array.from(records as number[]), state), state);
    } catch (error) {
      throw new Error(`${step.name}: fast.numbers throws where add does not: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    sameAs(`${step.name}: fast.numbers`, bulk, result);
  }
  const batch = step.fast?.columns ? asColumns(records) : undefined;
  if (batch) {
    let viaColumns: unknown;
    try {
      viaColumns = step.finish(step.fast!.columns!(step.init(state), batch, state), state);
    } catch (error) {
      throw new Error(`${step.name}: fast.columns throws where add does not: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    sameAs(`${step.name}: fast.columns`, viaColumns, result);
  }
  return result;
}

/** Records with the same fields in the same order, as one batch of value columns; else undefined. */
function asColumns(records: unknown[]): ColumnBatch | undefined {
  const plain = (r: unknown): r is Record<string, unknown> => r !== null && typeof r === 'object' && Object.getPrototypeOf(r) === Object.prototype;
  if (!records.every(plain)) return undefined;
  const names = Object.keys(records[0] ?? {});
  if (!records.every((r) => Object.keys(r).join('\0') === names.join('\0'))) return undefined;
  return { rows: records.length, columns: new Map(names.map((name) => [name, { values: records.map((r) => r[name]) }])) };
}

/** The records a batch stands for (ColumnBatch in contract/step.ts). */
export function columnRecords(batch: ColumnBatch): Record<string, unknown>[] {
  return Array.from({ length: batch.rows }, (_, i) => {
    const record: Record<string, unknown> = {};
    for (const [name, column] of batch.columns) {
      const value = 'indices' in column ? column.dictionary[column.indices[i]!] : column.values[i];
      Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return record;
  });
}

async function runSource(step: SourceStep, rawOptions: unknown, ctx: RunStepContext): Promise<unknown[]> {
  const options = validateOptions(step, rawOptions ?? {}, ctx);
  const context = testContext(ctx);
  const plan = await step.split(options, { ...context, chunking: {}, workers: 1, hints: {} });
  const state = await step.setup?.(options, context);
  const out: unknown[] = [];
  let index = 0;
  for await (const chunk of plan.chunks) {
    // Chunk descriptors cross into workers: clone them as the pool would.
    const cloned = structuredClone({ ...chunk, index: index++ }) as Chunk;
    const crossed = step.prepare ? await step.prepare(cloned, state) : cloned;
    const records = [...step.read(crossed, state)];
    if (step.fast?.each) {
      const emitted: unknown[] = [];
      step.fast.each(crossed, state, (record) => emitted.push(record));
      sameAs(`${step.name}: fast.each`, emitted, records);
    }
    if (step.fast?.numbers) sameAs(`${step.name}: fast.numbers`, Array.from(step.fast.numbers(crossed, state)), records);
    const batch = step.fast?.columns?.(crossed, state);
    if (batch) sameAs(`${step.name}: fast.columns`, columnRecords(batch), records);
    out.push(...records);
  }
  return structuredClone(out);
}
