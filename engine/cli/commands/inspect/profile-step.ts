// The reduce step `flow inspect` runs after the `file` source: the profile combiner (profile.ts) as
// a step, so the engine reads the input in parallel chunks and memory stays bounded. Loaded by the
// workers from its file like a local plugin (inspect.ts gives its path), never named in a pipeline.
import { defineStep } from '../../../contract/step.js';
import { addRecord, emptyProfile, finishProfile, mergeProfiles, type Profile, type ProfileReport } from './profile.js';

interface State {
  rows: number;
}

export default defineStep<{ rows?: number }, State, Profile, ProfileReport>({
  kind: 'reduce',
  name: 'inspect-profile',
  summary: 'The columns, their types and null counts, and the first records (flow inspect).',
  options: {
    type: 'object',
    properties: { rows: { type: 'integer', minimum: 0, default: 5, description: 'How many of the first records to keep as samples.' } },
    additionalProperties: false,
  },
  setup: (options) => ({ rows: options.rows ?? 5 }),
  init: () => emptyProfile(),
  add: (acc, record, state) => addRecord(acc, record, state.rows),
  merge: (a, b, state) => mergeProfiles(a, b, state.rows),
  finish: (acc) => finishProfile(acc),
});
