import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, describeProgress, formatCount, formatDuration, progressMode, type ProgressSnapshot } from '../../../engine/cli/progress.js';

function sink(isTTY = false) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += chunk;
        done();
      },
    }),
    { isTTY, columns: 100, rows: 30 },
  );
  return { stream, text: () => text };
}

function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const snap = (chunksDone: number, elapsedMs: number, extra: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  chunksDone,
  chunksTotal: 40,
  records: chunksDone * 80_000,
  bytes: chunksDone * 1_525_000,
  elapsedMs,
  ...extra,
});

const tty = (name: string): NodeJS.WriteStream => ({ isTTY: name === 'tty' }) as NodeJS.WriteStream;

describe('progressMode', () => {
  it('is quiet with --quiet, plain off a terminal or in CI, tty otherwise', () => {
    expect(progressMode({ quiet: true, stderr: tty('tty'), env: {} })).toBe('quiet');
    expect(progressMode({ stderr: tty('pipe'), env: {} })).toBe('plain');
    expect(progressMode({ stderr: tty('tty'), env: { CI: 'true' } })).toBe('plain');
    expect(progressMode({ stderr: tty('tty'), env: { CI: '1' } })).toBe('plain');
    expect(progressMode({ stderr: tty('tty'), env: { CI: 'false' } })).toBe('tty');
    expect(progressMode({ stderr: tty('tty'), env: { TERM: 'dumb' } })).toBe('plain');
    expect(progressMode({ stderr: tty('tty'), env: { TERM: 'xterm-256color' } })).toBe('tty');
  });
});

describe('formatting', () => {
  it('prints counts, durations and rates for humans', () => {
    expect([0, 999, 7.84, 1000, 1499, 9_950, 41_200, 410_000, 999_600, 3_200_000, 2.5e9].map(formatCount)).toEqual([
      '0',
      '999',
      '7.8',
      '1.0k',
      '1.5k',
      '10k',
      '41k',
      '410k',
      '1.0M',
      '3.2M',
      '2.5G',
    ]);
    expect([12.4, 999, 3_400, 12_345, 125_000].map(formatDuration)).toEqual(['12 ms', '999 ms', '3.4 s', '12 s', '2m05s']);
    expect(describeProgress(snap(12, 2_340))).toBe('12/40 chunks, 960k records, 410k rec/s, 7.8 MB/s');
    expect(describeProgress({ chunksDone: 3, records: 5, bytes: 0, elapsedMs: 0 })).toBe('3 chunks, 5 records');
    expect(describeProgress({ chunksDone: 3, records: 5000, bytes: 0, elapsedMs: 1000 })).toBe('3 chunks, 5.0k records, 5.0k rec/s');
    // on-error skip or dead-letter: the records rejected so far, once there are any.
    expect(describeProgress({ chunksDone: 3, records: 5000, rejected: 1200, bytes: 0, elapsedMs: 0 })).toBe('3 chunks, 5.0k records, 1.2k rejected');
    expect(describeProgress({ chunksDone: 3, records: 5000, rejected: 0, bytes: 0, elapsedMs: 0 })).toBe('3 chunks, 5.0k records');
  });
});

describe('plain progress', () => {
  it('prints throttled run lines and one line per stage end, on its stream only', async () => {
    const out = sink();
    const clock = fakeClock();
    const p = createProgress({ mode: 'plain', stream: out.stream, now: clock.now, title: 'flight-delays' });
    p.stageStart('validate');
    clock.advance(12);
    p.stageEnd('validate', true);
    p.stageStart('resolve');
    clock.advance(3);
    p.stageEnd('resolve', true);
    p.stageStart('run');
    for (let i = 1; i <= 40; i++) {
      clock.advance(100); // a chunk every 100 ms: a line every 10 chunks
      p.progress(snap(i, i * 100));
    }
    p.stageEnd('run', true);
    p.stageStart('write');
    clock.advance(1500);
    p.stageEnd('write', true);
    await p.close(true);
    expect(out.text()).toBe(
      [
        '[flow] validate: done in 12 ms',
        '[flow] resolve: done in 3 ms',
        '[flow] run: 10/40 chunks, 800k records, 800k rec/s, 15 MB/s',
        '[flow] run: 20/40 chunks, 1.6M records, 800k rec/s, 15 MB/s',
        '[flow] run: 30/40 chunks, 2.4M records, 800k rec/s, 15 MB/s',
        '[flow] run: 40/40 chunks, 3.2M records, 800k rec/s, 15 MB/s',
        '[flow] run: done in 4.0 s (40/40 chunks, 3.2M records, 800k rec/s, 15 MB/s)',
        '[flow] write: done in 1.5 s',
        '[flow] flight-delays: done in 5.5 s',
        '',
      ].join('\n'),
    );
  });

  it('ends the open stage as failed on close(false), skips unreported stages, and closes once', async () => {
    const out = sink();
    const clock = fakeClock();
    const p = createProgress({ mode: 'plain', stream: out.stream, now: clock.now });
    p.stageStart('run'); // validate and resolve were never reported
    clock.advance(250);
    p.progress(snap(1, 250));
    await p.close(false);
    await p.close(false);
    p.stageStart('write');
    expect(out.text()).toBe('[flow] run: failed after 250 ms\n[flow] failed after 250 ms\n');
  });
});

describe('the closing note', () => {
  it('plain: appended to the last line', async () => {
    const out = sink();
    const clock = fakeClock();
    const p = createProgress({ mode: 'plain', title: 'p.yaml', stream: out.stream, now: clock.now });
    p.stageStart('run');
    clock.advance(40);
    await p.close(true, 'wrote 12 records to out/x.csv');
    expect(out.text()).toBe('[flow] run: done in 40 ms\n[flow] p.yaml: done in 40 ms, wrote 12 records to out/x.csv\n');
  });

  it('tty: a line of its own after the tasks', async () => {
    const out = sink(true);
    const p = createProgress({ mode: 'tty', title: 'p.yaml', stream: out.stream });
    p.stageStart('run');
    p.stageEnd('run', true);
    await p.close(true, 'wrote 12 records to stdout');
    expect(out.text().endsWith('wrote 12 records to stdout\n')).toBe(true);
  });
});

describe('a notice', () => {
  const line = 'waiting for flow workers on redis://10.0.0.5:6379 (prefix flow)';

  it('plain: a line of its own, as it comes, between the stage lines', async () => {
    const out = sink();
    const clock = fakeClock();
    const p = createProgress({ mode: 'plain', stream: out.stream, now: clock.now });
    p.stageStart('resolve');
    p.notice!(line);
    clock.advance(5);
    p.stageEnd('resolve', true);
    await p.close(true);
    expect(out.text()).toBe(`[flow] ${line}\n[flow] resolve: done in 5 ms\n[flow] done in 5 ms\n`);
  });

  it('tty: the run stage says it until its progress takes over', async () => {
    const out = sink(true);
    const p = createProgress({ mode: 'tty', stream: out.stream });
    p.notice!(line); // before the run stage starts, as a queue run says it
    p.stageStart('run');
    await new Promise((r) => setTimeout(r, 150));
    expect(out.text()).toContain(`run: ${line}`);
    p.stageEnd('run', true);
    await p.close(true);
  });
});

describe('quiet progress', () => {
  it('prints nothing', async () => {
    const out = sink();
    const p = createProgress({ mode: 'quiet', stream: out.stream });
    p.stageStart('run');
    p.notice!('waiting for flow workers');
    p.progress(snap(1, 10));
    p.stageEnd('run', false);
    await p.close(false);
    expect(out.text()).toBe('');
  });
});

describe('tty progress (listr2)', () => {
  const last = (text: string) => text.slice(text.lastIndexOf('\x1b[G') + 3);

  it('renders the stages with run progress on a fake terminal and closes', async () => {
    const out = sink(true);
    const p = createProgress({ mode: 'tty', stream: out.stream });
    p.stageStart('validate');
    p.stageEnd('validate', true);
    p.stageStart('run');
    await new Promise((r) => setTimeout(r, 150));
    p.progress(snap(40, 4_000));
    p.stageEnd('run', true);
    p.stageStart('write');
    p.stageEnd('write', true);
    await p.close(true); // a close that hangs fails by the test's timeout
    const final = last(out.text());
    expect(final).toMatch(
      /^✔ validate \(\d+ ms\)\n↓ resolve\n✔ run: 40\/40 chunks, 3\.2M records, 800k rec\/s, 15 MB\/s \(\d+ ms\)\n↓ reduce\n✔ write \(\d+ ms\)\n\x1b\[\?25h$/,
    );
    expect(out.text().startsWith('\x1b[?25l')).toBe(true); // cursor hidden while drawing, shown again at the end
  });

  it('closes on failure without hanging or printing a stack', async () => {
    const out = sink(true);
    const p = createProgress({ mode: 'tty', stream: out.stream, title: 'delays' });
    p.stageStart('validate');
    p.stageEnd('validate', true);
    p.stageStart('run');
    await p.close(false);
    const final = last(out.text());
    expect(final).toContain('✖ run (failed after');
    expect(final).toMatch(/^. delays\n  ✔ validate/);
    expect(out.text()).not.toMatch(/\n\s+at /);
  });

  it('closes when no stage was ever reported', async () => {
    const out = sink(true);
    const p = createProgress({ mode: 'tty', stream: out.stream });
    await p.close(false);
    expect(out.text()).toContain('\x1b[?25h');
  });
});
