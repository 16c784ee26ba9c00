export { buildReport, errorsOf, shownPath, type Report, type ReportInput, type ReportOutput } from './build.js';
export { describeOutputs, recordsWritten } from './outputs.js';
export { timeStages, type TimedObserver } from './timings.js';
export { writeReport } from './write.js';
