// npm run eval:rca [-- --seed 1 --cases-per-type 7 --fleets 8 --out results.json]
import { parseArgs } from 'node:util';
import { runRcaEval } from '../lib/eval/rca/runner';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    'cases-per-type': { type: 'string', default: '7' },
    fleets: { type: 'string' },
    out: { type: 'string' },
  },
});
await runRcaEval({
  seed: Number(values.seed),
  casesPerType: Number(values['cases-per-type']),
  ...(values.fleets ? { fleets: Number(values.fleets) } : {}),
  ...(values.out ? { out: values.out } : {}),
});
process.exit(0);
