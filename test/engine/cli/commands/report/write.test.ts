import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeReport } from '../../../../../engine/cli/commands/report/write.js';
import { interrupted } from '../../../../../engine/contract/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'flow-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--report', () => {
  it('replaces the report atomically and removes the temps that killed runs left, and nothing else', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('close', resolve));
    const stale = `.report.json.tmp-${gone.pid}-0a1b2c3d`;
    const others = [`.out.json.tmp-${gone.pid}-0a1b2c3d`, 'report.json'];
    for (const name of [stale, ...others]) await writeFile(path.join(dir, name), 'old');

    await writeReport(path.join(dir, 'report.json'), { file: 'p.yaml', version: '1.2.3', started: Date.now(), error: interrupted('SIGHUP') });

    expect((await readdir(dir)).sort()).toEqual(others.sort());
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({
      schemaVersion: 1,
      flow: { version: '1.2.3' },
      pipeline: { path: 'p.yaml' },
      status: 'failed',
      exitCode: 129,
      errors: [{ code: 'HANGUP', message: 'hung up (SIGHUP); nothing was written' }],
    });
  });
});
