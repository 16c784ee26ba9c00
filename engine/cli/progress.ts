// Progress on stderr: listr2 tasks on a terminal, plain throttled lines in CI or a pipe, or nothing.
// Main thread only (the CLI); stdout is never touched, it belongs to the result.
import { createRequire } from 'node:module';
import type { DefaultRenderer, ListrTaskWrapper } from 'listr2';

// listr2 is loaded only when a terminal shows progress: quiet and plain runs start without it.
const require = createRequire(import.meta.url);
const listr2 = () => require('listr2') as typeof import('listr2');

import { stageNames, type ProgressSnapshot, type RunObserver, type StageName } from '../contract/observer.js';

export { stageNames, type ProgressSnapshot, type RunObserver, type StageName };

export type ProgressMode = 'tty' | 'plain' | 'quiet';

export interface ProgressOptions {
  mode: ProgressMode;
  title?: string;
  /** Default process.stderr. */
  stream?: NodeJS.WritableStream;
  /** Clock, for tests. */
  now?: () => number;
  /** Least time between two progress renderings: default 1000 ms plain, 100 ms tty. */
  intervalMs?: number;
}

/** `close`'s note ends the display (`wrote 12 records to out.csv`). */
export type Progress = RunObserver & { close(ok: boolean, note?: string): Promise<void> };

/** quiet with --quiet; plain when stderr is not a terminal, in CI, or on a dumb terminal; else tty. */
export function progressMode(opts: { quiet?: boolean; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv }): ProgressMode {
  if (opts.quiet) return 'quiet';
  const ci = opts.env.CI !== undefined && !['', '0', 'false'].includes(opts.env.CI.toLowerCase());
  return opts.stderr.isTTY !== true || ci || opts.env.TERM === 'dumb' ? 'plain' : 'tty';
}

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => performance.now());
  if (opts.mode === 'quiet') return { stageStart() {}, stageEnd() {}, progress() {}, notice() {}, close: async () => {} };
  // Progress is not worth a crash: a closed stderr (`2>&1 | head`) must not throw from here.
  if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
  return new Stages(
    opts.mode === 'tty' ? new TtyView(stream, opts) : new PlainView(stream, opts.title),
    now,
    opts.intervalMs ?? (opts.mode === 'tty' ? 100 : 1000),
  );
}

function ignore(): void {}

/** What a mode draws; the stage bookkeeping is shared. */
interface View {
  start(stage: StageName): void;
  skip(stage: StageName): void;
  update(stage: StageName, snapshot: ProgressSnapshot): void;
  end(stage: StageName, ok: boolean, ms: number, snapshot?: ProgressSnapshot): void;
  notice(line: string): void;
  close(ok: boolean, ms: number, note?: string): Promise<void>;
}

/** Keeps stages in order whatever the engine reports: a stage never started is skipped, one left open is ended. */
class Stages implements Progress {
  private readonly began = new Map<StageName, number>();
  private readonly ended = new Set<StageName>();
  private readonly created: number;
  /** The first update waits one interval: a run shorter than that shows only its end. */
  private lastDrawn: number;
  private last?: ProgressSnapshot;
  private closed = false;

  constructor(
    private readonly view: View,
    private readonly now: () => number,
    private readonly intervalMs: number,
  ) {
    this.created = this.lastDrawn = now();
  }

  stageStart(stage: StageName): void {
    if (this.closed || this.began.has(stage)) return;
    for (const earlier of stageNames.slice(0, stageNames.indexOf(stage))) {
      if (!this.began.has(earlier)) {
        this.began.set(earlier, NaN);
        this.ended.add(earlier);
        this.view.skip(earlier);
      } else if (!this.ended.has(earlier)) this.stageEnd(earlier, true);
    }
    this.began.set(stage, this.now());
    this.view.start(stage);
  }

  stageEnd(stage: StageName, ok: boolean): void {
    const began = this.began.get(stage);
    if (this.closed || began === undefined || this.ended.has(stage)) return;
    this.ended.add(stage);
    this.view.end(stage, ok, this.now() - began, stage === 'run' ? this.last : undefined);
  }

  progress(snapshot: ProgressSnapshot): void {
    this.last = snapshot;
    const t = this.now();
    if (this.closed || !this.began.has('run') || this.ended.has('run') || t - this.lastDrawn < this.intervalMs) return;
    this.lastDrawn = t;
    this.view.update('run', snapshot);
  }

  notice(line: string): void {
    if (!this.closed) this.view.notice(line);
  }

  async close(ok: boolean, note?: string): Promise<void> {
    if (this.closed) return;
    for (const stage of stageNames) if (this.began.has(stage) && !this.ended.has(stage)) this.stageEnd(stage, ok);
    this.closed = true;
    await this.view.close(ok, this.now() - this.created, note);
  }
}

/** `[flow] run: 12/40 chunks, ...` at most once per interval, one line per stage end. */
class PlainView implements View {
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly title?: string,
  ) {}
  private line(text: string): void {
    this.stream.write(`[flow] ${text}\n`);
  }
  start(): void {}
  skip(): void {}
  update(stage: StageName, snapshot: ProgressSnapshot): void {
    this.line(`${stage}: ${describeProgress(snapshot)}`);
  }
  end(stage: StageName, ok: boolean, ms: number, snapshot?: ProgressSnapshot): void {
    const detail = ok && snapshot ? ` (${describeProgress(snapshot)})` : '';
    this.line(`${stage}: ${ok ? 'done in' : 'failed after'} ${formatDuration(ms)}${detail}`);
  }
  notice(line: string): void {
    this.line(line);
  }
  async close(ok: boolean, ms: number, note?: string): Promise<void> {
    this.line(`${this.title ? `${this.title}: ` : ''}${ok ? 'done in' : 'failed after'} ${formatDuration(ms)}${note ? `, ${note}` : ''}`);
  }
}

type Task = ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof DefaultRenderer>;
interface Gate {
  start: Promise<boolean>;
  open(run: boolean): void;
  end: Promise<{ ok: boolean; title: string }>;
  finish(result: { ok: boolean; title: string }): void;
  task?: Task;
}

/** listr2 driven from outside: each stage's task waits for its start, then for its end. */
class TtyView implements View {
  private readonly gates = new Map<StageName, Gate>();
  private readonly done: Promise<unknown>;
  /** The last notice: the run stage's title until its progress takes over. */
  private noticed?: string;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    opts: ProgressOptions,
  ) {
    for (const stage of stageNames) {
      const gate = {} as Gate;
      gate.start = new Promise((resolve) => (gate.open = resolve));
      gate.end = new Promise((resolve) => (gate.finish = resolve));
      this.gates.set(stage, gate);
    }
    const { DefaultRenderer, Listr, ListrLogger, ProcessOutput } = listr2();
    /** Renders on any stream, not only when process.stdout is a terminal (stdout may be piped). */
    class StderrRenderer extends DefaultRenderer {
      static override nonTTY = true;
    }
    const out = stream as NodeJS.WriteStream;
    const stages = stageNames.map((stage) => ({
      title: stage,
      task: async (_ctx: unknown, task: Task) => {
        const gate = this.gates.get(stage)!;
        if (!(await gate.start)) return task.skip(stage);
        gate.task = task;
        if (stage === 'run' && this.noticed) task.title = `${stage}: ${this.noticed}`;
        const { ok, title } = await gate.end;
        task.title = title;
        if (!ok) throw new Error(title);
      },
    }));
    // With a title, the stages are its subtasks, kept visible once done.
    const tasks = opts.title ? [{ title: opts.title, task: (_ctx: unknown, task: Task) => task.newListr(stages) }] : stages;
    const listr = new Listr(tasks, {
      renderer: StderrRenderer,
      rendererOptions: {
        logger: new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(out, out, { leaveEmptyLine: false }) }),
        collapseSubtasks: false,
      },
      exitOnError: true,
      registerSignalListeners: false,
    });
    // Failure is reported by the CLI; here it only ends the rendering.
    this.done = listr.run().catch(() => {});
  }

  start(stage: StageName): void {
    this.gates.get(stage)!.open(true);
  }
  skip(stage: StageName): void {
    this.gates.get(stage)!.open(false);
  }
  update(stage: StageName, snapshot: ProgressSnapshot): void {
    const task = this.gates.get(stage)!.task;
    if (task) task.title = `${stage}: ${describeProgress(snapshot)}`;
  }
  end(stage: StageName, ok: boolean, ms: number, snapshot?: ProgressSnapshot): void {
    const detail = snapshot ? `: ${describeProgress(snapshot)}` : '';
    this.gates.get(stage)!.finish({ ok, title: `${stage}${detail} (${ok ? '' : 'failed after '}${formatDuration(ms)})` });
  }
  notice(line: string): void {
    this.noticed = line;
    const task = this.gates.get('run')!.task;
    if (task) task.title = `run: ${line}`;
  }
  async close(_ok: boolean, _ms: number, note?: string): Promise<void> {
    for (const gate of this.gates.values()) gate.open(false); // stages never reached: skipped
    await this.done;
    if (note) this.stream.write(`${note}\n`);
  }
}

/** 950, 7.8, 12k, 3.2M: one decimal below 10 (whole numbers stay whole), SI units (k = 1000). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units = ['', 'k', 'M', 'G', 'T'];
  let value = Math.abs(n);
  let unit = 0;
  while (unit < units.length - 1 && Math.round(value * 10) / 10 >= 999.5) {
    value /= 1000;
    unit++;
  }
  const text = unit === 0 && Number.isInteger(value) ? String(value) : value < 9.95 ? value.toFixed(1) : String(Math.round(value));
  return `${n < 0 ? '-' : ''}${text}${units[unit]}`;
}

/** 850 ms, 3.4 s, 12 s, 2m05s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** `12/40 chunks, 3.2M records, 12 rejected, 410k rec/s, 61 MB/s`; rates need elapsed time, MB/s needs bytes. */
export function describeProgress(s: ProgressSnapshot): string {
  const parts = [`${s.chunksDone}${s.chunksTotal !== undefined ? `/${s.chunksTotal}` : ''} chunks`, `${formatCount(s.records)} records`];
  if (s.rejected) parts.push(`${formatCount(s.rejected)} rejected`);
  const seconds = s.elapsedMs / 1000;
  if (seconds > 0) {
    parts.push(`${formatCount(s.records / seconds)} rec/s`);
    if (s.bytes > 0) parts.push(`${formatCount(s.bytes / 1e6 / seconds)} MB/s`);
  }
  return parts.join(', ');
}
