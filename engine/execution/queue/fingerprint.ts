// Every machine runs the same code: a run carries the coordinator's fingerprint, and a worker
// computes its own (its flow, its Node, its copies of the local step files, the project files they
// import, and the lockfile) before it takes a chunk of the run. Any difference is named, field by field.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../contract/package.js';
import { runSteps } from '../../contract/plan.js';
import type { WorkerPlan } from '../messages.js';
import type { Places } from './paths.js';
import { stepFiles } from './step-files.js';

export interface Fingerprint {
  flowVersion: string;
  nodeMajor: number;
  /** sha256 of the run's plan as sent (the interpolated pipeline, resolved). */
  pipeline: string;
  /** sha256 of each local step file and each project file it imports, by its path relative to the project root. */
  steps: Record<string, string>;
  /** sha256 of the project's package-lock.json, or `none`. */
  lockfile: string;
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

let version: string | undefined;
export function flowVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

function hashFile(file: string): string {
  try {
    return sha256(readFileSync(file));
  } catch {
    return 'missing';
  }
}

/** The steps a worker runs that are files of the project (not flow's built-ins): absolute paths. */
function localSteps(plan: WorkerPlan, places: Places): string[] {
  const files = new Set<string>();
  for (const step of runSteps(plan)) {
    if (!step.module.startsWith('file:')) continue;
    const file = fileURLToPath(step.module);
    if (file.startsWith(places.dist + path.sep) || !file.startsWith(places.root + path.sep)) continue;
    files.add(file);
  }
  return [...files];
}

/** This machine's fingerprint of a run whose plan (already mapped to this machine) was sent as `planBytes`. */
export function fingerprint(plan: WorkerPlan, planBytes: string, places: Places): Fingerprint {
  const steps: Record<string, string> = {};
  for (const rel of stepFiles(localSteps(plan, places), places)) steps[rel] = hashFile(path.join(places.root, rel));
  return {
    flowVersion: flowVersion(),
    nodeMajor: Number(process.versions.node.split('.')[0]),
    pipeline: sha256(planBytes),
    steps,
    lockfile: hashFile(path.join(places.root, 'package-lock.json')).replace('missing', 'none'),
  };
}

/** What differs, each as `<field> <here> here, <there> on the coordinator`; empty when nothing does. */
export function differences(here: Fingerprint, coordinator: Fingerprint): string[] {
  const out: string[] = [];
  const short = (h: string) => (h.length === 64 ? h.slice(0, 12) : h);
  if (here.flowVersion !== coordinator.flowVersion) out.push(`flow version ${here.flowVersion} here, ${coordinator.flowVersion} on the coordinator`);
  if (here.nodeMajor !== coordinator.nodeMajor) out.push(`Node ${here.nodeMajor} here, ${coordinator.nodeMajor} on the coordinator`);
  if (here.pipeline !== coordinator.pipeline) out.push(`the pipeline's plan ${short(here.pipeline)} here, ${short(coordinator.pipeline)} on the coordinator`);
  for (const [file, hash] of Object.entries(coordinator.steps)) {
    const mine = here.steps[file] ?? 'missing';
    if (mine !== hash) out.push(`step file ${file} ${short(mine)} here, ${short(hash)} on the coordinator`);
  }
  if (here.lockfile !== coordinator.lockfile) out.push(`package-lock.json ${short(here.lockfile)} here, ${short(coordinator.lockfile)} on the coordinator`);
  return out;
}
