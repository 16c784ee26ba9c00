// A local TypeScript step (`step: ./steps/season.ts`): the meteorological season of a month number.
// Its options are typed from the schema below by defineStep: no interface to keep in sync.
import { defineStep } from 'flow-pipelines';

const seasons = ['winter', 'winter', 'spring', 'spring', 'spring', 'summer', 'summer', 'summer', 'autumn', 'autumn', 'autumn', 'winter'];

export default defineStep({
  kind: 'map',
  name: 'season',
  summary: 'Adds the season (winter, spring, summer, autumn) of a month number, northern hemisphere.',
  options: {
    type: 'object',
    properties: {
      month: { type: 'string', default: 'month', description: 'The field holding the month, 1 to 12.' },
      as: { type: 'string', default: 'season', description: 'The field to write the season to.' },
    },
    additionalProperties: false,
  },
  examples: [{ title: 'Season of a month field', yaml: 'step: ./steps/season.ts\nwith: { month: month }' }],
  setup: ({ month, as }) => ({ month, as }),
  map(record: Record<string, unknown>, { month, as }) {
    const m = record[month];
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > 12)
      throw new Error(`season: field "${month}" is ${JSON.stringify(m)}, not a month 1 to 12`);
    return { ...record, [as]: seasons[m - 1] };
  },
  fields: ({ month }) => [month],
});
