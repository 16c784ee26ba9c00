export { inspectCommand, type InspectFlags } from './command.js';
