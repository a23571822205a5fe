// Starts the demo fleet as one process per service replica, tells each where its peers are, and
// turns chaos switches (FaultInput) into per-process chaos patches.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '@/lib/db/embedded-postgres';
import type { FaultInput, FleetDescription } from '@/lib/schemas/chaos';
import { FaultTargetError, type FaultApplier } from './control-server';
import type { ChaosPatch } from './service/chaos-state';
import { FLEET, type ServiceProcessConfig, type ServiceSpec } from './topology';

export interface FleetOptions {
  /** Faultline's base URL: traces go to <url>/v1/traces, breaker transitions to <url>/v1/breaker-events. */
  faultlineUrl: string;
  ingestKey: string;
  specs?: readonly ServiceSpec[];
  log?: (line: string) => void;
  /** How long each process may take to come up. */
  startTimeoutMs?: number;
}

export interface FleetInstance {
  spec: ServiceSpec;
  instance: string;
  replica: number;
  port: number;
  url: string;
  child: ChildProcess;
}

const SERVICE_MAIN = join(process.cwd(), 'lib', 'sim', 'service-main.ts');

export class Fleet implements FaultApplier {
  rps = 0;

  private constructor(
    readonly instances: FleetInstance[],
    private readonly specs: readonly ServiceSpec[],
    /** What the processes accept on /__chaos (only the fleet and its tests use it). */
    readonly controlToken: string,
  ) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const specs = options.specs ?? FLEET;
    const controlToken = randomUUID();
    const planned: Array<Omit<FleetInstance, 'child'>> = [];
    for (const spec of specs) {
      for (let replica = 1; replica <= spec.replicas; replica++) {
        const port = await freePort();
        // "localhost", not 127.0.0.1: callers resolve it through their own lookup, which is where
        // a partition is simulated (see Outbound).
        planned.push({ spec, replica, port, instance: `${spec.name}-${replica}`, url: `http://localhost:${port}` });
      }
    }
    const peersOf = (spec: ServiceSpec) =>
      Object.fromEntries(spec.calls.map((callee) => [callee, planned.filter((p) => p.spec.name === callee).map((p) => p.url)]));

    const instances: FleetInstance[] = [];
    const fleet = new Fleet(instances, specs, controlToken);
    try {
      // Callees first (FLEET lists them in dependency order), each service's replicas together.
      for (const spec of specs) {
        const replicas = planned.filter((p) => p.spec === spec);
        const started = await Promise.all(
          replicas.map((p) => {
            const config: ServiceProcessConfig & { external: boolean } = {
              service: spec.name,
              role: spec.role,
              instance: p.instance,
              port: p.port,
              peers: peersOf(spec),
              controlToken,
              faultline: { endpoint: options.faultlineUrl, apiKey: options.ingestKey },
              external: spec.external,
            };
            return spawnService(p, config, options);
          }),
        );
        instances.push(...started);
      }
    } catch (err) {
      await fleet.stop();
      throw err;
    }
    return fleet;
  }

  /** Every instance's /health, for the active prober. */
  healthTargets(): Array<{ name: string; service: string; url: string }> {
    return this.instances.map((i) => ({ name: `${i.instance} /health`, service: i.spec.name, url: `http://127.0.0.1:${i.port}/health` }));
  }

  /** The entry point users hit. */
  get frontendUrl(): string {
    const frontend = this.instances.find((i) => i.spec.role === 'frontend');
    if (!frontend) throw new Error('the fleet has no frontend');
    return `http://127.0.0.1:${frontend.port}`;
  }

  describe(): Omit<FleetDescription, 'faults'> {
    return {
      rps: this.rps,
      services: this.specs.map((spec) => ({
        name: spec.name,
        role: spec.role,
        calls: spec.calls,
        instances: this.instances.filter((i) => i.spec === spec).map((i) => ({ service: spec.name, instance: i.instance, url: i.url, external: spec.external })),
      })),
    };
  }

  async apply(fault: FaultInput): Promise<void> {
    await this.send(this.patchesFor(fault, true));
  }

  async revert(fault: FaultInput): Promise<void> {
    await this.send(this.patchesFor(fault, false));
  }

  private service(name: string): ServiceSpec {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new FaultTargetError(`body.target: no service named "${name}" in the fleet (${this.specs.map((s) => s.name).join(', ')})`);
    return spec;
  }

  private edge(target: string): [ServiceSpec, ServiceSpec] {
    const [callerName, calleeName] = target.split(':') as [string, string];
    const caller = this.service(callerName);
    const callee = this.service(calleeName);
    if (!caller.calls.includes(callee.name)) {
      throw new FaultTargetError(`body.target: ${caller.name} does not call ${callee.name} (it calls ${caller.calls.join(', ') || 'nothing'})`);
    }
    return [caller, callee];
  }

  private of(spec: ServiceSpec): FleetInstance[] {
    return this.instances.filter((i) => i.spec === spec);
  }

  /** The patches that switch a fault on (or off), per instance. */
  private patchesFor(fault: FaultInput, on: boolean): Array<[FleetInstance, ChaosPatch]> {
    const every = (spec: ServiceSpec, patch: ChaosPatch) => this.of(spec).map((i): [FleetInstance, ChaosPatch] => [i, patch]);
    switch (fault.kind) {
      case 'error-burst':
        return every(this.service(fault.target), { errorRate: on ? (fault.rate ?? 0.5) : 0 });
      case 'latency':
        return every(this.service(fault.target), { latencyMs: on ? (fault.ms ?? 800) : 0 });
      case 'partition': {
        const [caller, callee] = this.edge(fault.target);
        return every(caller, { partition: { callee: callee.name, on } });
      }
      case 'slow-db': {
        const spec = this.service(fault.target);
        if (spec.role !== 'inventory') throw new FaultTargetError(`body.target: ${spec.name} has no database (inventory has)`);
        return every(spec, on ? { dbLatencyMs: fault.ms ?? 1500, dbPoolSize: 2 } : { dbLatencyMs: 0, dbPoolSize: null });
      }
      case 'stall-consumer': {
        const spec = this.service(fault.target);
        if (spec.role !== 'consumer') throw new FaultTargetError(`body.target: ${spec.name} consumes no queue (shipping and email do)`);
        return every(spec, { stalled: on });
      }
      case 'bad-replica': {
        const spec = this.service(fault.target);
        const replicas = this.of(spec);
        if (replicas.length < 2) throw new FaultTargetError(`body.target: ${spec.name} runs one replica; pick one with several (inventory)`);
        return [[replicas.at(-1)!, on ? { errorRate: fault.rate ?? 0.6, latencyMs: fault.ms ?? 400 } : { errorRate: 0, latencyMs: 0 }]];
      }
      case 'retry-storm': {
        const [caller, callee] = this.edge(fault.target);
        return [
          ...every(caller, { aggressiveRetry: { callee: callee.name, on } }),
          // The spark: the callee flakes a little, and the caller's retries fan it into a storm.
          ...every(callee, { errorRate: on ? (fault.rate ?? 0.3) : 0, latencyMs: on ? (fault.ms ?? 200) : 0 }),
        ];
      }
      case 'external-outage': {
        const spec = this.service(fault.target);
        if (!spec.external) throw new FaultTargetError(`body.target: ${spec.name} is not an external dependency (bank-adapter is)`);
        return every(spec, { down: on });
      }
    }
  }

  private async send(patches: Array<[FleetInstance, ChaosPatch]>): Promise<void> {
    await Promise.all(
      patches.map(async ([instance, patch]) => {
        const res = await fetch(`http://127.0.0.1:${instance.port}/__chaos`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.controlToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(patch),
        });
        if (!res.ok) throw new Error(`${instance.instance} refused the chaos switch: ${res.status} ${await res.text()}`);
      }),
    );
  }

  /** SIGTERM to every process, SIGKILL to any still there after 5 s. */
  async stop(): Promise<void> {
    await Promise.all(
      this.instances.map(
        (i) =>
          new Promise<void>((resolve) => {
            if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve();
            const kill = setTimeout(() => i.child.kill('SIGKILL'), 5_000);
            i.child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            i.child.kill('SIGTERM');
          }),
      ),
    );
  }
}

function spawnService(planned: Omit<FleetInstance, 'child'>, config: ServiceProcessConfig & { external: boolean }, options: FleetOptions): Promise<FleetInstance> {
  const child = fork(SERVICE_MAIN, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      FLEET_SERVICE_CONFIG: JSON.stringify(config),
      OTEL_EXPORTER_OTLP_ENDPOINT: options.faultlineUrl,
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer ${options.ingestKey}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_SERVICE_NAME: config.service,
      // The SDK's own diagnostics would drown the demo's output; failures show up in Faultline.
      OTEL_LOG_LEVEL: 'error',
    },
  });
  const log = options.log ?? (() => undefined);
  child.stderr?.on('data', (d: Buffer) => log(`[${planned.instance}] ${d.toString().trimEnd()}`));
  child.stdout?.on('data', (d: Buffer) => log(`[${planned.instance}] ${d.toString().trimEnd()}`));
  return new Promise<FleetInstance>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${planned.instance} did not start within ${options.startTimeoutMs ?? 30_000} ms`));
    }, options.startTimeoutMs ?? 30_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve({ ...planned, child });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${planned.instance} exited with code ${code} while starting`));
    });
  });
}
