// npm run bench:graph [-- --spans 10000000 --services 100 --edges 300 --hours 24 --repeats 30]
import { parseArgs } from 'node:util';
import { runGraphBench } from '../lib/bench/graph-bench';

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '10000000' },
    services: { type: 'string', default: '100' },
    edges: { type: 'string', default: '300' },
    hours: { type: 'string', default: '24' },
    repeats: { type: 'string', default: '30' },
  },
});
await runGraphBench({
  spans: Number(values.spans),
  services: Number(values.services),
  edges: Number(values.edges),
  hours: Number(values.hours),
  repeats: Number(values.repeats),
});
process.exit(0);
