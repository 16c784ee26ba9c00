// Worker of piscina-groupby.mjs: reads [start, end) with 1 MiB readSync calls into a reused buffer and
// parses each line it owns (a line belongs to the range holding its first byte).
import { openSync, readSync, closeSync } from 'node:fs';

let buf = Buffer.allocUnsafe(1 << 20); // reused across tasks; grows only for a line longer than it

export default function groupRange({ file, start, end, csv }) {
  const fd = openSync(file, 'r');
  const groups = Object.create(null);
  let originAt = 0, delayAt = 1;
  if (csv) {
    // The header gives the columns; every range reads it (it is one short line).
    const n = readSync(fd, buf, 0, 4096, 0);
    const header = buf.toString('utf8', 0, buf.indexOf(10) >= 0 && buf.indexOf(10) < n ? buf.indexOf(10) : n).split(',');
    ((originAt = header.indexOf('origin')), (delayAt = header.indexOf('delay')));
  }
  // Start one byte early: if that byte is '\n' the first line is ours, else skip the partial line.
  let pos = start === 0 ? 0 : start - 1;
  let skip = start !== 0 || csv; // at offset 0 of a CSV, the partial "line" skipped is the header
  let filled = 0;
  let linePos = pos; // file offset of buf[0]
  for (;;) {
    const n = readSync(fd, buf, filled, buf.length - filled, pos);
    pos += n;
    filled += n;
    let from = 0;
    for (;;) {
      let nl = buf.indexOf(10, from);
      if (nl < 0 || nl >= filled) {
        if (n > 0) break; // need more bytes
        nl = filled; // the last line of the file has no newline
      }
      if (linePos + from >= end) return finish(fd, groups);
      if (skip) skip = false;
      else if (nl > from) {
        let origin, delay;
        if (csv) {
          const cells = buf.toString('utf8', from, nl).split(',');
          ((origin = cells[originAt]), (delay = cells[delayAt] === '' ? null : Number(cells[delayAt])));
        } else {
          const r = JSON.parse(buf.toString('utf8', from, nl));
          ((origin = r.origin), (delay = r.delay));
        }
        const g = groups[origin] ?? (groups[origin] = [0, 0, 0]);
        g[0]++;
        if (delay != null) ((g[1] += delay), g[2]++);
      }
      from = nl + 1;
      if (nl >= filled) return finish(fd, groups);
    }
    // Keep the partial line at the front of the buffer.
    if (from === 0 && filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    } else {
      buf.copy(buf, 0, from, filled);
      filled -= from;
      linePos += from;
    }
  }
}

function finish(fd, groups) {
  closeSync(fd);
  return groups;
}
