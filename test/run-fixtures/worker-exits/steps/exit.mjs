// A plugin step that kills its worker thread.
export default {
  kind: 'map',
  name: 'exit',
  summary: 'Calls process.exit on record 1500.',
  options: { type: 'object', properties: {}, additionalProperties: false },
  map(record) {
    if (record.id === 1500) process.exit(3);
    return record;
  },
};
