import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { refusalReason, refusedStream, workerFailure } from '../../../../engine/execution/queue/failures.js';

const source = { kind: 'source' as const, name: 'file', module: 'file:///x.js', options: {}, path: 'source', location: { file: 'p.yaml', line: 2, column: 3 } };

describe('refusals', () => {
  it("a worker's refusal comes back as the run's error, naming the worker", () => {
    const reason = refusalReason(
      new FlowError({ code: 'FINGERPRINT_MISMATCH', message: 'flow version 0.1.0 here, 0.2.0 on the coordinator', hint: 'h' }),
      'box:42',
    );
    expect(workerFailure(reason)?.toJSON()).toEqual({
      code: 'FINGERPRINT_MISMATCH',
      message: 'worker box:42 refused the run: flow version 0.1.0 here, 0.2.0 on the coordinator',
      hint: 'h',
    });
    expect(workerFailure('job stalled more than allowable limit')).toBeUndefined();
  });

  it('a chunk that carries its text is refused at the source; a byte range is not', () => {
    expect(refusedStream({ index: 0, data: { file: '/x.ndjson', start: 0, end: 9 } }, source)).toBeUndefined();
    expect(refusedStream({ index: 0, data: { name: 'x.ndjson.gz', text: '{}\n' } }, source)?.toJSON()).toMatchObject({
      code: 'QUEUE_STREAM_SOURCE',
      step: 'source (file)',
      location: { file: 'p.yaml', line: 2, column: 3 },
    });
  });
});
