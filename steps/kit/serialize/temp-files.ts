// The temp files of atomic writes (`.NAME.tmp-<pid>-<random>` beside NAME). The writer's pid in the
// name lets a later run tell a stale temp (its process was killed with -9 or crashed) from one that a
// live run is still writing; the live ones of this process are tracked so that a second Ctrl-C,
// which exits without waiting, can still remove them.
import fs from 'node:fs';
import path from 'node:path';

const live = new Set<string>();

/** A fresh temp path beside `file`, named after this process. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(16).slice(2, 10)}`);
}

/** Remembers a temp file this process is writing; the returned function forgets it. */
export function trackTemp(temp: string): () => void {
  live.add(temp);
  return () => live.delete(temp);
}

/** Removes every temp file this process is still writing, synchronously: the last act before exiting. */
export function removeLiveTempsSync(): void {
  for (const temp of live) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // Already renamed or removed.
    }
  }
  live.clear();
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temp files of `file` left by processes that no longer exist, and returns their names.
 * Best effort: a folder that cannot be read, or a temp another run removes first, is no error.
 */
export async function removeStaleTemps(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(file))}\\.tmp-(\\d+)-[0-9a-f]+$`);
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    const temp = path.join(dir, name);
    // This process's own pid on a temp it is not writing: a dead process's, whose pid came round again.
    const stale = pid === process.pid ? !live.has(temp) : !processAlive(pid);
    if (
      stale &&
      (await fs.promises.unlink(temp).then(
        () => true,
        () => false,
      ))
    )
      removed.push(name);
  }
  return removed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Writes `text` to `target` atomically (a temp beside it renamed over it), folders made, stale temps of it removed. */
export async function writeFileAtomically(target: string, text: string): Promise<void> {
  const file = path.resolve(target);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await removeStaleTemps(file);
  const temp = tempPathFor(file);
  const untrack = trackTemp(temp);
  try {
    await fs.promises.writeFile(temp, text, { flag: 'wx' });
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.unlink(temp).catch(() => {});
    throw error;
  } finally {
    untrack();
  }
}
