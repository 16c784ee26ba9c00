// A plugin whose setup fails (say, a missing API key): the run fails naming the step, not a dead worker.
export default {
  kind: 'map',
  name: 'needs-key',
  summary: 'Needs GEO_API_KEY.',
  options: { type: 'object', properties: {}, additionalProperties: false },
  setup() {
    throw new Error('GEO_API_KEY is not set');
  },
  map: (record) => record,
};
