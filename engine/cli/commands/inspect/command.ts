// flow inspect FILE: the columns of any input the `file` source reads, their types and null counts,
// and the first records. The whole input goes through the engine (the file source, then the profile
// reducer of profile-step.ts on the workers); --sample N reads the first N records on this thread.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowError, FlowErrors } from '../../../contract/errors.js';
import { bundled, distRoot } from '../../../contract/package.js';
import { preparePipeline } from '../../../planning/prepare.js';
import { executePlan } from '../../../run/run.js';
import { parseWorkers } from '../args.js';
import type { ProfileReport } from './profile.js';
import { renderJson, renderText, type Inspection } from './render.js';
import { sampleProfile } from './sample.js';

export interface InspectFlags {
  json?: boolean;
  rows?: string;
  sample?: string;
  format?: string;
  workers?: string;
}

export async function inspectCommand(positionals: string[], flags: InspectFlags): Promise<number> {
  if (positionals.length !== 1) {
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `flow inspect takes one file, got ${positionals.length}`,
      hint: 'flow inspect data/flights.csv (a glob in quotes reads every file it matches)',
    });
  }
  const file = positionals[0]!;
  const rows = flags.rows === undefined ? 5 : count('--rows', flags.rows);
  const sample = flags.sample === undefined ? undefined : count('--sample', flags.sample);
  const workers = flags.workers === undefined ? undefined : parseWorkers(flags.workers);
  const step = profileStepFile();
  const pipeline = {
    source: { step: 'file', with: { path: file, ...(flags.format !== undefined ? { format: flags.format } : {}) } },
    reduce: { step, with: { rows } },
  };
  // The profile step is flow's own file: trusted like a folder given with --allow-plugin-path.
  const trusted = [path.dirname(step), path.dirname(realOrSelf(step))];
  const options = { cwd: process.cwd(), allowPluginPaths: trusted, ...(workers !== undefined ? { workers } : {}) };
  let inspection: Inspection;
  try {
    const { plan } = await preparePipeline(pipeline, options);
    if (sample !== undefined) {
      const sampled = await sampleProfile(plan, sample, rows);
      inspection = { inputs: sampled.inputs, report: sampled.report, sample };
    } else {
      const { result, summary } = await executePlan(plan, { ...options, output: false });
      inspection = { inputs: summary.inputs ?? [], report: result as ProfileReport };
    }
  } catch (error) {
    throw asCommandError(error);
  }
  process.stdout.write(flags.json ? renderJson(inspection) : renderText(inspection));
  return 0;
}

function count(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new FlowError({ code: 'BAD_ARGS', message: `${flag} ${text}: expected a whole number` });
  return n;
}

/** The profile step's module: beside this file, or in dist/ when running from the CLI bundle. */
function profileStepFile(): string {
  if (bundled) return path.join(distRoot, 'engine', 'cli', 'commands', 'inspect', 'profile-step.js');
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./profile-step${extension}`, import.meta.url));
}

function realOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The errors of the pipeline flow inspect made up, as the command's: `--format` for the source's
 * format option, nothing for its path (the message names the file).
 */
function asCommandError(error: unknown): unknown {
  if (error instanceof FlowErrors) {
    const errors = error.errors.map(retarget);
    return errors.length === 1 ? errors[0] : new FlowErrors(errors);
  }
  return error instanceof FlowError ? retarget(error) : error;
}

function retarget(error: FlowError): FlowError {
  // Errors of the source's options say source.with.path at validation, path when the run starts.
  const option = error.path?.replace(/^source\.with\./, '');
  if (option === undefined || !/^(path|format)\b/.test(option)) return error;
  const { path: _path, ...rest } = error.toJSON();
  // FILE is relative to the current folder: there is no pipeline file here.
  if (rest.hint?.includes('pipeline file')) rest.hint = 'FILE is relative to the current folder; quote a glob so the shell leaves it to flow';
  return new FlowError(option.startsWith('format') ? { ...rest, path: '--format' } : rest);
}
