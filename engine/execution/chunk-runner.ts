// Runs one chunk descriptor through a loaded program: the work of a worker thread, kept apart from
// the thread entry so the engine can also run a tiny job in-process.
import { isFlowError } from '../contract/errors.js';
import { stepLabel } from '../contract/plan.js';
import type { ChunkResult, ChunkTask, Rejection, WorkerPlan } from './messages.js';
import { StepFailure, type Program } from './program.js';
import { rejecting } from './rejecting.js';
import { watchFields } from './field-watch.js';

interface Counters {
  index: number;
  recordsIn: number;
  recordsOut: number;
  rejected?: Rejection[];
  steps?: number[];
  seen?: string[];
}

/** Runs one chunk through the source, the map steps and the reducer's `add` (or collects the records). */
export function runChunk(program: Program, plan: WorkerPlan, task: ChunkTask): ChunkResult {
  const { chunk } = task;
  let recordsIn = 0;
  let recordsOut = 0;
  // on-error skip or dead-letter: a bad record or a map step's throw is set aside and the chunk goes on.
  const rejected: Rejection[] | undefined = plan.onError && plan.onError !== 'fail' ? [] : undefined;
  // Fields only the data can tell (issue 10): tested until each was seen once.
  const watch = plan.watch ? watchFields(plan.watch) : undefined;
  // Records each map step but the last hands on (the last one's are recordsOut), for the report.
  const steps = plan.map.length > 1 ? new Array<number>(plan.map.length - 1).fill(0) : undefined;
  const counters = (): Counters => ({
    index: chunk.index,
    recordsIn,
    recordsOut,
    ...(rejected?.length ? { rejected } : {}),
    ...(watch ? { seen: watch.seen() } : {}),
    ...(steps ? { steps: handedOn(program, plan, steps, recordsIn, rejected) } : {}),
  });
  if (program.columns && program.reduce) {
    const result = runColumns(program, chunk.index, chunk, plan.watch);
    if (result) return result;
  }
  let inBulk = false;
  try {
    if (program.numbers) {
      inBulk = true;
      const result = runNumbers(program, chunk.index, program.numbers.read(chunk), rejected !== undefined, steps);
      if (result) return result;
      steps?.fill(0);
      // A map step met a value that is not a number (or threw, when records may be rejected): this
      // chunk goes record by record.
      inBulk = false;
    }
    // The data checks see every record that reaches reduce/output, at its place in the chunk.
    const checking = program.checks?.(chunk.index);
    const checks = () => (checking ? { checks: checking.states() } : {});
    const feed = (to: (record: unknown) => void) => {
      const sink = checking
        ? (record: unknown) => {
            checking.add(record, recordsIn);
            to(record);
          }
        : to;
      const pipe = rejected ? rejecting(program, sink, plan, rejected, () => recordsIn, steps) : program.pipe(sink, steps);
      // Two callbacks, not one with a test: without watched fields the hot loop is as it was.
      program.read(
        chunk,
        watch
          ? (record) => {
              if (watch.pending) watch.see(record);
              pipe(record);
              recordsIn++;
            }
          : (record) => {
              pipe(record);
              recordsIn++;
            },
      );
    };
    const reduce = program.reduce;
    if (reduce) {
      let acc = reduce.init();
      feed((record) => {
        acc = reduce.add(acc, record);
        recordsOut++;
      });
      return { type: 'partial', acc, ...counters(), ...checks() };
    }
    const out: unknown[] = [];
    feed((record) => out.push(record));
    recordsOut = out.length;
    return { type: 'records', records: out, ...counters(), ...checks() };
  } catch (thrown) {
    // A bulk failure has no one record to point at.
    return failure(thrown, plan, inBulk ? undefined : recordsIn, counters());
  }
}

/** A chunk of numbers through every step at once; undefined when the maps could not keep them numbers. */
function runNumbers(program: Program, index: number, values: Float64Array, tolerant: boolean, steps?: number[]): ChunkResult | undefined {
  let mapped: Float64Array | undefined;
  try {
    mapped = program.numbers!.map(values, steps);
  } catch (thrown) {
    // Record by record, the one record that fails can be rejected alone.
    if (tolerant && thrown instanceof StepFailure) return undefined;
    throw thrown;
  }
  if (mapped === undefined) return undefined;
  const counters = {
    index,
    recordsIn: values.length,
    recordsOut: mapped.length,
    ...(steps ? { steps: handedOn(program, undefined, steps, values.length) } : {}),
  };
  const reduce = program.reduce;
  if (reduce) return { type: 'partial', acc: reduce.addNumbers!(reduce.init(), mapped), ...counters };
  // The source may reuse its buffer for the next chunk: what leaves the chunk must be a copy.
  return { type: 'numbers', values: mapped === values ? mapped.slice() : mapped, ...counters };
}

/**
 * A chunk from the source's columns into the reducer, or undefined to run it record by record: the
 * source cannot give it as columns, or reading or adding threw (the records then name the record that
 * fails, or show the error was the columns' alone; the accumulator, fresh for this chunk, is dropped).
 */
function runColumns(program: Program, index: number, chunk: ChunkTask['chunk'], watch?: readonly string[]): ChunkResult | undefined {
  const { columns, reduce } = program;
  try {
    const batch = columns!.read(chunk);
    if (batch === undefined) return undefined;
    const checking = program.checks?.(index);
    checking?.batch(batch);
    const acc = columns!.add(reduce!.init(), batch);
    // A watched field is in a record when its column is (a batch's column holds a value for every row).
    const seen = watch ? { seen: batch.rows > 0 ? watch.filter((field) => batch.columns.has(field)) : [] } : {};
    return { type: 'partial', acc, index, recordsIn: batch.rows, recordsOut: batch.rows, ...seen, ...(checking ? { checks: checking.states() } : {}) };
  } catch {
    return undefined;
  }
}

/** The program's per-step counts (drops of a map, outputs of a flatMap) as the records each step handed on. */
function handedOn(program: Program, plan: WorkerPlan | undefined, counts: number[], recordsIn: number, rejected?: Rejection[]): number[] {
  const rejectedAt = new Map<string, number>();
  for (const r of rejected ?? []) rejectedAt.set(r.step, (rejectedAt.get(r.step) ?? 0) + 1);
  let entered = recordsIn - (rejectedAt.get('source') ?? 0);
  return counts.map((n, i) => {
    entered = program.flat[i] ? n : entered - n - (rejectedAt.get(plan?.map[i]?.path ?? '') ?? 0);
    return entered;
  });
}

function failure(thrown: unknown, plan: WorkerPlan, recordInChunk: number | undefined, counters: Counters): ChunkResult {
  const step = thrown instanceof StepFailure ? thrown.step : plan.source;
  const cause = thrown instanceof StepFailure ? thrown.cause : thrown;
  const label = stepLabel(step);
  const at = recordInChunk !== undefined ? { recordInChunk } : {};
  if (isFlowError(cause)) {
    return { type: 'error', error: { ...cause.toJSON(), step: cause.step ?? label }, ...at, bug: false, ...counters };
  }
  // A step that throws a plain Error failed on this record: the user's data or plugin, reported as such.
  const message = cause instanceof Error ? cause.message : String(cause);
  const stack = cause instanceof Error ? cause.stack : undefined;
  return { type: 'error', error: { code: 'STEP_FAILED', message, step: label }, ...at, ...(stack ? { stack } : {}), bug: false, ...counters };
}

/** Runs a chunk once its program is loaded; a failed load or setup is the chunk's error result. */
export async function runLoaded(program: Promise<Program>, plan: WorkerPlan, task: ChunkTask): Promise<ChunkResult> {
  let loaded: Program;
  try {
    loaded = await program;
  } catch (thrown) {
    return setupFailed(thrown, plan, task);
  }
  if (!loaded.prepare) return runChunk(loaded, plan, task);
  let chunk: ChunkTask['chunk'];
  try {
    chunk = await loaded.prepare(task.chunk);
  } catch (thrown) {
    // The source's error before any record (a URL's range not fetched): the chunk's, never retried.
    return failure(thrown, plan, undefined, { index: task.chunk.index, recordsIn: 0, recordsOut: 0 });
  }
  return runChunk(loaded, plan, { ...task, chunk });
}

/** The error result of a chunk whose steps could not be loaded or set up. */
export function setupFailed(thrown: unknown, plan: WorkerPlan, task: ChunkTask): ChunkResult {
  // Marked, so dispatch retries it (a setup may fail for a while), unlike a record's error.
  return { ...failure(thrown, plan, undefined, { index: task.chunk.index, recordsIn: 0, recordsOut: 0 }), setup: true } as ChunkResult;
}
