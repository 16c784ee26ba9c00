// What run.test.ts and run.e2e.test.ts share: a temp project, an observer that records the stages
// and the progress snapshots, and the squares pipeline.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProgressSnapshot, StageName } from '../../../engine/cli/progress.js';

export function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-run-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function observe() {
  const events: string[] = [];
  const snapshots: ProgressSnapshot[] = [];
  const observer = {
    stageStart: (stage: StageName) => void events.push(`start ${stage}`),
    stageEnd: (stage: StageName, ok: boolean) => void events.push(`end ${stage}${ok ? '' : ' failed'}`),
    progress: (snapshot: ProgressSnapshot) => void snapshots.push(snapshot),
  };
  return { events, snapshots, observer };
}

export const stagesOk = (...names: StageName[]) => names.flatMap((name) => [`start ${name}`, `end ${name}`]);
export const squares = Array.from({ length: 20 }, (_, x) => x * x);
export const squaresYaml =
  'name: squares\nsource:\n  step: range\n  with: { end: 20 }\nmap:\n  - step: transform\n    with: { expr: "r * r" }\nreduce: collect\noutput:\n  step: file\n  with: { path: out/squares.json }\n';
