// `flow inspect --sample N`: the first N records through the source's public contract (split, setup,
// read) on this thread, stopping as soon as it has them: a huge file is not read to its end, and a
// stream (gzip, a URL) is closed after the chunks it took.
import { FlowError } from '../../../contract/errors.js';
import type { Plan } from '../../../contract/plan.js';
import type { Chunk, SourceStep, StepContext } from '../../../contract/step.js';
import { locate } from '../../../execution/failure.js';
import { importStep } from '../../../execution/import-step.js';
import { addRecord, emptyProfile, finishProfile, type ProfileReport } from './profile.js';

export interface Sampled {
  report: ProfileReport;
  inputs: Array<{ path: string; bytes: number; format?: string }>;
}

export async function sampleProfile(plan: Plan, limit: number, rows: number): Promise<Sampled> {
  const source = (await importStep(plan.source.module, plan.source.exportName)) as SourceStep;
  const options = plan.source.options;
  const ctx: StepContext = { pipelineDir: plan.pipelineDir, ...(plan.pipelineFile ? { pipelineFile: plan.pipelineFile } : {}) };
  const split = await source.split(options, { ...ctx, chunking: {}, workers: 1, hints: {} });
  const state: unknown = await source.setup?.(options, ctx);
  const profile = emptyProfile();
  let index = 0;
  if (limit > 0) {
    reading: for await (const piece of split.chunks) {
      const chunk: Chunk = { ...piece, index: index++ };
      let k = 0;
      try {
        for (const record of source.read(chunk, state)) {
          addRecord(profile, record, rows);
          k++;
          if (profile.records >= limit) break reading;
        }
      } catch (error) {
        throw await located(error, chunk, k, { step: source, resolved: plan.source });
      }
    }
  }
  return { report: finishProfile(profile), inputs: split.inputs ?? [] };
}

/** A reader's error at the k-th record of a chunk, with the file and line the source says it came from. */
async function located(error: unknown, chunk: Chunk, k: number, source: Parameters<typeof locate>[2]): Promise<unknown> {
  if (!(error instanceof FlowError)) return error;
  const flow = error;
  if (flow.record?.line !== undefined || flow.record?.row !== undefined) return flow;
  const where = await locate(chunk, k, source);
  return where ? new FlowError({ ...flow.toJSON(), record: { ...where, ...flow.record } }) : flow;
}
