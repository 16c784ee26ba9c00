import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  processAlive,
  removeLiveTempsSync,
  removeStaleTemps,
  tempPathFor,
  trackTemp,
  writeFileAtomically,
} from '../../../../steps/kit/serialize/temp-files.js';

let dir: string;
let children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'flow-temp-files-'));
});
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped): no process has it now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

/** The pid of a process that lives until the test ends. */
async function livePid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  children.push(child);
  await new Promise((resolve) => child.on('spawn', resolve));
  return child.pid!;
}

describe('temp files', () => {
  it('are hidden beside the target, named after this process', () => {
    const file = path.join(dir, 'out.ndjson');
    const temp = tempPathFor(file);
    expect(path.dirname(temp)).toBe(dir);
    expect(path.basename(temp)).toMatch(new RegExp(`^\\.out\\.ndjson\\.tmp-${process.pid}-[0-9a-f]+$`));
    expect(tempPathFor(file)).not.toBe(temp);
  });

  it('tells a live process from a gone one', async () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(await livePid())).toBe(true);
    expect(processAlive(await deadPid())).toBe(false);
  });

  it("removes the target's temps of gone processes, and only those", async () => {
    const [dead, alive] = [await deadPid(), await livePid()];
    const names = {
      dead: `.out.ndjson.tmp-${dead}-0123abcd`,
      deadShortRandom: `.out.ndjson.tmp-${dead}-9f`,
      alive: `.out.ndjson.tmp-${alive}-0123abcd`,
      otherTarget: `.other.ndjson.tmp-${dead}-0123abcd`,
      longerName: `.out.ndjson.bak.tmp-${dead}-0123abcd`,
      notHidden: `out.ndjson.tmp-${dead}-0123abcd`,
      notATemp: `.out.ndjson.tmp-${dead}-notHex`,
      target: 'out.ndjson',
    };
    for (const name of Object.values(names)) await writeFile(path.join(dir, name), 'x');

    const removed = await removeStaleTemps(path.join(dir, 'out.ndjson'));

    expect(removed.sort()).toEqual([names.dead, names.deadShortRandom].sort());
    expect((await readdir(dir)).sort()).toEqual([names.alive, names.otherTarget, names.longerName, names.notHidden, names.notATemp, names.target].sort());
  });

  it("treats this pid's untracked temp as stale (a gone process had the pid) and keeps a tracked one", async () => {
    const file = path.join(dir, 'r.json');
    const mine = tempPathFor(file);
    const leftover = path.join(dir, `.r.json.tmp-${process.pid}-deadbeef`);
    await writeFile(mine, 'writing');
    await writeFile(leftover, 'old');
    const untrack = trackTemp(mine);
    try {
      expect(await removeStaleTemps(file)).toEqual([path.basename(leftover)]);
      expect(await readdir(dir)).toEqual([path.basename(mine)]);
    } finally {
      untrack();
    }
  });

  it('names with regular-expression characters match literally', async () => {
    const dead = await deadPid();
    await writeFile(path.join(dir, `.a+b (1).csv.tmp-${dead}-00`), 'x');
    await writeFile(path.join(dir, `.aab (1).csv.tmp-${dead}-00`), 'x');
    expect(await removeStaleTemps(path.join(dir, 'a+b (1).csv'))).toEqual([`.a+b (1).csv.tmp-${dead}-00`]);
  });

  it('a folder that does not exist has nothing to remove', async () => {
    expect(await removeStaleTemps(path.join(dir, 'missing/out.json'))).toEqual([]);
  });

  it('removeLiveTempsSync removes the tracked temps that remain, and forgets them', async () => {
    const [a, b, c] = [tempPathFor(path.join(dir, 'a.json')), tempPathFor(path.join(dir, 'b.json')), tempPathFor(path.join(dir, 'c.json'))];
    for (const temp of [a, b, c]) await writeFile(temp, 'x');
    trackTemp(a);
    trackTemp(b);
    const untrackC = trackTemp(c);
    untrackC();
    await rm(b); // renamed or removed meanwhile: no error
    removeLiveTempsSync();
    expect([existsSync(a), existsSync(c)]).toEqual([false, true]);
    await writeFile(a, 'again');
    removeLiveTempsSync();
    expect(existsSync(a)).toBe(true);
  });
});

describe('writeFileAtomically', () => {
  it('creates missing folders and leaves no temp file', async () => {
    const target = path.join(dir, 'reports', 'junit.xml');
    await writeFileAtomically(target, 'one');
    await writeFileAtomically(target, 'two');
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(readdirSync(path.dirname(target))).toEqual(['junit.xml']);
  });
});
