// When flow runs in GitHub Actions: annotations on stderr (the runner reads workflow commands from
// both streams; stdout belongs to the result) and the job summary appended to $GITHUB_STEP_SUMMARY.
import { appendFileSync } from 'node:fs';
import type { Report } from '../commands/report/build.js';
import { annotationLines, type Findings } from './annotations.js';
import { markdownSummary } from './summary.js';

export function githubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** Annotations for what was found; with a report, also the job summary. */
export function reportToGithub(findings: Findings, report?: Report, env: NodeJS.ProcessEnv = process.env): void {
  const base = env.GITHUB_WORKSPACE || process.cwd();
  const lines = annotationLines(findings, base);
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  const file = env.GITHUB_STEP_SUMMARY;
  if (report && file) {
    try {
      appendFileSync(file, markdownSummary(report, base));
    } catch (error) {
      // The summary is a courtesy: a run's verdict must not change because it cannot be written.
      process.stderr.write(`warning: cannot append the job summary to ${file}: ${(error as Error).message}\n`);
    }
  }
}
