// flow validate PIPELINE...: checks files without running them; every error of every file.
import { FlowError } from '../../contract/errors.js';
import { preparePipeline } from '../../planning/prepare.js';
import { printError } from './sources.js';

export async function validateCommand(files: string[], flags: { 'allow-plugin-path'?: string[]; quiet?: boolean } = {}): Promise<number> {
  if (files.length === 0) throw new FlowError({ code: 'BAD_ARGS', message: 'flow validate needs at least one pipeline file' });
  let worst = 0;
  for (const file of files) {
    try {
      await preparePipeline(file, { env: process.env, allowPluginPaths: flags['allow-plugin-path'] ?? [] });
      if (!flags.quiet) process.stdout.write(`${file}: ok\n`);
    } catch (error) {
      worst = Math.max(worst, printError(error));
    }
  }
  return worst;
}
