// The RLE/bit-packed hybrid: definition levels of v1 pages (a page without nulls told apart) and dictionary indices.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { readIndices, readLevelsV1 } from '../../../../steps/source-file/parquet/hybrid.js';

/** A v1 level block: the 4-byte length, then the hybrid's bytes. */
function block(bytes: number[]): DataView {
  const buf = Buffer.alloc(4 + bytes.length + 3);
  buf.writeUInt32LE(bytes.length, 0);
  Buffer.from(bytes).copy(buf, 4);
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

describe('readLevelsV1', () => {
  it('a run of the maximum level: no null, no array', () => {
    // RLE header: count 300 << 1 = 600 = varint [0xd8, 0x04]; value 1.
    expect(readLevelsV1(block([0xd8, 0x04, 1]), 300, 1)).toEqual({ levels: undefined, present: 300, end: 7 });
  });

  it('runs and bit-packed groups mixed, clipped to the row count', () => {
    // 3 x 1 (RLE), then 8 values bit-packed (1 group: header 3) 0b01011010, then 4 x 0 (RLE).
    const read = readLevelsV1(block([6, 1, 3, 0b01011010, 8, 0]), 14, 1);
    expect([...read.levels!]).toEqual([1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0]);
    expect(read.present).toBe(7);
    expect(read.end).toBe(10);
    // A bit-packed group padded past the rows: only the rows count.
    const short = readLevelsV1(block([3, 0b11111101]), 5, 1);
    expect([...short.levels!]).toEqual([1, 0, 1, 1, 1]);
    expect(short.present).toBe(4);
  });

  it('two bits per level (a maximum of 2)', () => {
    // One group of 8 two-bit values: 2,2,1,0 | 2,0,2,2 -> bytes 0b00011010, 0b10100010.
    const read = readLevelsV1(block([3, 0b00011010, 0b10100010]), 8, 2);
    expect([...read.levels!]).toEqual([2, 2, 1, 0, 2, 0, 2, 2]);
    expect(read.present).toBe(5);
  });
});

describe('readIndices', () => {
  const view = (bytes: number[]) => new DataView(Uint8Array.from([9, 9, ...bytes]).buffer);

  it('bit-packed groups and runs, any width up to 32 bits, after the width byte', () => {
    // Width 3: one group of 8 values 0..7 = 0b10001000, 0b11000110, 0b11111010; then a run of 5 x 6.
    expect([...readIndices(view([3, 3, 0b10001000, 0b11000110, 0b11111010, 10, 6]), 2, 13)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 6, 6, 6, 6, 6]);
    // Width 8 (a byte each, copied): a run of 2 x 255, then one group of 8 clipped to the 6 rows left.
    expect([...readIndices(view([8, 4, 255, 3, 10, 20, 30, 40, 50, 60, 70, 80]), 2, 8)]).toEqual([255, 255, 10, 20, 30, 40, 50, 60]);
    // Width 0: every index is 0.
    expect([...readIndices(view([0]), 2, 4)]).toEqual([0, 0, 0, 0]);
    // Width 30: a run of 2 x (2^30 - 1), then a group of 8 values, the first 2^29 + 5, the others 0.
    const wide = [30, 4, 0xff, 0xff, 0xff, 0x3f, 3, 5, 0, 0, 0x20, ...Array.from({ length: 26 }, () => 0)];
    expect([...readIndices(view(wide), 2, 10)]).toEqual([2 ** 30 - 1, 2 ** 30 - 1, 2 ** 29 + 5, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('fills an array it is given, whatever it held (a worker reuses one page after page)', () => {
    const out = new Uint32Array(13).fill(99);
    expect([...readIndices(view([3, 3, 0b10001000, 0b11000110, 0b11111010, 10, 6]), 2, 13, out)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 6, 6, 6, 6, 6]);
    expect([...readIndices(view([0]), 2, 4, out.fill(99).subarray(0, 4))]).toEqual([0, 0, 0, 0]);
  });
});

describe('readIndices without WebAssembly (FLOW_NO_WASM=1)', () => {
  it('unpacks every width as the column kernels do', async () => {
    vi.resetModules();
    vi.doMock('../../../../steps/kit/wasm/columns.js', async (actual) => ({ ...(await actual<object>()), columnKernels: () => null }));
    const js = await import('../../../../steps/source-file/parquet/hybrid.js');
    vi.doUnmock('../../../../steps/kit/wasm/columns.js');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 1, max: 6 }),
        fc.uint8Array({ minLength: 200, maxLength: 200 }),
        (width, groups, packed) => {
          // One bit-packed run of `groups` groups of 8, then a run of 3 x 1.
          const run = [width, (groups << 1) | 1, ...packed.subarray(0, groups * width), 6, 1, 0, 0, 0];
          const count = groups * 8 + 3;
          const bytes = Uint8Array.from([9, 9, ...run]);
          const view = new DataView(bytes.buffer);
          expect([...js.readIndices(view, 2, count)]).toEqual([...readIndices(view, 2, count)]);
        },
      ),
    );
  });
});
