// flow validate PIPELINE...: checks files without running them; every error of every file.
import { FlowError, type FlowErrorInit } from '../../contract/errors.js';
import { githubActions, reportToGithub } from '../github/index.js';
import { errorsOf } from './report/build.js';
import { preparePipeline } from '../../planning/prepare.js';
import { printError } from './sources.js';

export async function validateCommand(files: string[], flags: { 'allow-plugin-path'?: string[]; quiet?: boolean; offline?: boolean } = {}): Promise<number> {
  if (files.length === 0) throw new FlowError({ code: 'BAD_ARGS', message: 'flow validate needs at least one pipeline file' });
  let worst = 0;
  const found: FlowErrorInit[] = [];
  for (const file of files) {
    try {
      // --offline: no env variables or data files needed (a lint step before they exist).
      await preparePipeline(file, { env: process.env, allowPluginPaths: flags['allow-plugin-path'] ?? [], offline: flags.offline === true });
      if (!flags.quiet) process.stdout.write(`${file}: ok\n`);
    } catch (error) {
      worst = Math.max(worst, printError(error));
      found.push(...errorsOf(error));
    }
  }
  // In GitHub Actions each error is also an annotation at its line (at most ten of a kind, then a count).
  if (found.length > 0 && githubActions()) reportToGithub({ errors: found });
  return worst;
}
