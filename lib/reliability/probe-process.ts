// An independent client for health and page checks during a flood: a separate process with its
// own connections, so what it measures is the app's answer time, not the flooding test's queue.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ProbeSample {
  path: string;
  status: number | 'error';
  ms: number;
  at: number;
}

const SCRIPT = `
const [base, ...paths] = process.argv.slice(1);
const http = require('node:http');
function get(path) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.get(base + path, { agent: false, timeout: 15000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ path, status: res.statusCode, ms: performance.now() - started, at: Date.now() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ path, status: 'error', ms: performance.now() - started, at: Date.now() }));
  });
}
(async () => {
  for (;;) {
    for (const path of paths) process.stdout.write(JSON.stringify(await get(path)) + '\\n');
    await new Promise((r) => setTimeout(r, 1000));
  }
})();
`;

export class ProbeProcess {
  readonly samples: ProbeSample[] = [];
  private readonly child: ChildProcess;

  constructor(baseUrl: string, paths: string[]) {
    this.child = spawn(process.execPath, ['-e', SCRIPT, baseUrl, ...paths], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line) this.samples.push(JSON.parse(line) as ProbeSample);
    });
  }

  of(path: string): ProbeSample[] {
    return this.samples.filter((s) => s.path === path);
  }

  stop(): void {
    this.child.kill();
  }
}
