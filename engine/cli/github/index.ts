export { annotationLines, CAP, type Findings } from './annotations.js';
export { escapeData, escapeProperty, toCommandValue, workflowCommand } from './commands.js';
export { githubActions, reportToGithub } from './emit.js';
export { markdownSummary } from './summary.js';
