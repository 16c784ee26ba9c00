// What the benchmark ran on, and which Python it can use.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

const run = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

/** The real python3 executable (not a pyenv shim, whose bash start-up would be timed too), and numpy's version. */
export function findPython() {
  const out = run('python3', [
    '-c',
    'import sys\ntry:\n import numpy; v = numpy.__version__\nexcept ImportError: v = ""\nprint(sys.executable); print(sys.version.split()[0]); print(v)',
  ]);
  if (!out) return { exe: null, numpy: null, note: 'python3 not found: the Python peers are skipped' };
  const [exe, version, numpy] = out.split('\n');
  return { exe, version, numpy: numpy || null, note: numpy ? null : 'numpy is missing: the numpy peers are skipped' };
}

export async function machine(py) {
  const model = run('lscpu', [])?.match(/Model name:\s*(.+)/)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  let duckdb = null;
  try {
    duckdb = (await import('@duckdb/node-api')).version();
  } catch {}
  return {
    cpus: os.availableParallelism(),
    nproc: run('nproc', []),
    model,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    duckdb,
    python: py.version ?? null,
    numpy: py.numpy ?? null,
    loadavg: os.loadavg(),
  };
}
