// A plugin step that fails on one record.
export default {
  kind: 'map',
  name: 'explode',
  summary: 'Throws on record 777.',
  options: { type: 'object', properties: {}, additionalProperties: false },
  map(record) {
    if (record.id === 777) throw new Error(`cannot handle record ${record.id}`);
    return record;
  },
};
