// flow test: pipeline tests in *.test.yaml files.
export { testCommand, type TestFlags } from './command.js';
export { testFileSchema } from './schema.js';
