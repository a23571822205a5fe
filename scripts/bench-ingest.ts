// npm run bench:ingest [-- --seconds 20 --senders 8 --batch 500 --ceiling-spans 300000]
import { parseArgs } from 'node:util';
import { runIngestBench } from '../lib/bench/ingest-bench';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    senders: { type: 'string', default: '8' },
    batch: { type: 'string', default: '500' },
    'ceiling-spans': { type: 'string', default: '300000' },
  },
});
await runIngestBench({
  seconds: Number(values.seconds),
  senders: Number(values.senders),
  spansPerBatch: Number(values.batch),
  ceilingSpans: Number(values['ceiling-spans']),
});
process.exit(0);
