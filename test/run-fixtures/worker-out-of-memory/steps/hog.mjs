// A plugin step that allocates until its worker runs out of memory.
export default {
  kind: 'map',
  name: 'hog',
  summary: 'Keeps every record it sees, a million times over.',
  options: { type: 'object', properties: {}, additionalProperties: false },
  setup: () => [],
  map(record, kept) {
    for (let i = 0; i < 1_000_000; i++) kept.push({ ...record, i });
    return record;
  },
};
