// npm run bench:detect [-- --healthy-minutes 10 --repeats 3 --rps 8]
import { parseArgs } from 'node:util';
import { runDetectBench } from '../lib/bench/detect-bench';

const { values } = parseArgs({
  options: {
    'healthy-minutes': { type: 'string', default: '10' },
    repeats: { type: 'string', default: '3' },
    rps: { type: 'string', default: '8' },
  },
});
await runDetectBench({ healthyMinutes: Number(values['healthy-minutes']), repeats: Number(values.repeats), rps: Number(values.rps) });
process.exit(0);
