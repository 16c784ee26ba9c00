export { createQueuePool, type QueuePool, type QueuePoolOptions, type QueueSummary } from './coordinator.js';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './worker.js';
export { queuePrefix, shownUrl } from './settings.js';
