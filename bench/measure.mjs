// Runs one command as a whole process and measures its wall time and peak RSS.
//
// Peak RSS: GNU time's %M (the kernel's ru_maxrss: the high-water mark of the largest single process,
// worker threads included). For multi-process tools (Python multiprocessing) that misses the workers,
// so we also sample the process tree every 20 ms and keep the largest sum of VmRSS over all of its
// processes (shared pages are counted once per process, so this errs high, never low).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(TIME);
let counter = 0;

export const rssMethod = {
  single: 'GNU time %M (ru_maxrss of the process, all threads)',
  tree: 'max of %M and the peak, sampled every 10 ms, of the sum of VmRSS over the process tree',
};

function readKb(pid, key) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${key}:\\s+(\\d+) kB`));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // the process exited between the listing and the read
  }
}

// All descendants of root (this kernel has no /proc/PID/task/TID/children, so scan /proc once).
function descendants(root) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {}
  }
  const out = [];
  const want = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (want.has(ppid) && !want.has(pid)) (want.add(pid), out.push(pid), (grew = true));
    }
  }
  return out;
}

/**
 * @param {{cmd: string, args: string[], cwd?: string, env?: object, tree?: boolean, timeoutMs?: number}} job
 * @returns {Promise<{ok: boolean, code: number, wall: number, cpu: number, rssMiB: number, rssMethod: string, stdout: string, stderr: string}>}
 */
export function measure({ cmd, args, cwd, env, tree = false, timeoutMs = 600_000 }) {
  const timeFile = path.join(tmpdir(), `flow-bench-${process.pid}-${counter++}.time`);
  const argv = hasGnuTime ? ['-f', '%e %M %U %S', '-o', timeFile, cmd, ...args] : args;
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(hasGnuTime ? TIME : cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let treePeakKb = 0;
    const sample = () => {
      // Under GNU time the root is time itself: count only what it runs.
      const pids = hasGnuTime ? descendants(child.pid) : [child.pid, ...descendants(child.pid)];
      const kb = pids.reduce((s, p) => s + readKb(p, 'VmRSS'), 0);
      if (kb > treePeakKb) treePeakKb = kb;
    };
    const timer = tree ? setInterval(sample, 10) : null;
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      if (timer) clearInterval(timer);
      clearTimeout(killer);
      let maxKb = 0;
      let cpu = NaN;
      try {
        const [, kb, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        ((maxKb = kb || 0), (cpu = user + sys));
        rmSync(timeFile, { force: true });
      } catch {}
      const peakKb = Math.max(maxKb, treePeakKb);
      resolve({
        ok: code === 0,
        code,
        wall,
        cpu, // user + system seconds of the process and the children it waited for (all threads)
        rssMiB: peakKb / 1024,
        rssMethod: tree ? rssMethod.tree : rssMethod.single,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
