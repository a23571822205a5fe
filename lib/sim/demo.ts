// `npm run demo`: Faultline on the embedded PostgreSQL, the demo fleet exporting to it, steady
// user traffic, demo accounts, probes on every service, and the chaos switches wired through
// Faultline's /api/chaos. Ctrl-C stops it all.
import { createApiKey, listKeys, revokeApiKey } from '@/lib/auth/api-keys';
import { resetDemoUser } from '@/lib/auth/users';
import { endFaultsOfStoppedFleet } from '@/lib/chaos/faults';
import { env } from '@/lib/config/env';
import type { Role } from '@/lib/schemas/auth';
import { launch } from '@/lib/server/launcher';
import { startControlServer, type FaultApplier } from './control-server';
import { Fleet } from './fleet';
import { parseDuration, type ChaosState } from '@/lib/schemas/chaos';
import { callFaultline, injectFault, removeDemoState, writeDemoState } from './faultline-client';
import { startLoad, type LoadGenerator } from './load';
import { DEFAULT_TIMING, findScenario, SCENARIOS, type Scenario, type ScenarioTiming } from './scenarios';

const say = (line: string) => process.stdout.write(`[demo] ${line}\n`);
const system = { kind: 'system', name: 'demo' } as const;
const DEMO_ACCOUNTS: Array<{ email: string; role: Role }> = [
  { email: 'admin@demo.local', role: 'admin' },
  { email: 'responder@demo.local', role: 'responder' },
  { email: 'viewer@demo.local', role: 'viewer' },
];
const DEMO_KEY_NAMES = ['demo-fleet', 'demo-admin'];

export interface DemoOptions {
  rps: number;
  scenario: Scenario | null;
  timing: ScenarioTiming;
}

export const DEMO_USAGE = `usage: npm run demo [-- --rps 4] [-- --scenario <name> [--healthy 60s] [--fault-for 2m]]
scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`;

export function parseDemoArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = { rps: 4, scenario: null, timing: { ...DEFAULT_TIMING } };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--rps' && value) {
      options.rps = Number(value);
      if (!(options.rps > 0 && options.rps <= 200)) throw new Error(`--rps must be between 0 and 200, got ${value}`);
      i++;
    } else if (arg === '--scenario' && value) {
      options.scenario = findScenario(value) ?? null;
      if (!options.scenario) throw new Error(`unknown scenario "${value}"\n${DEMO_USAGE}`);
      i++;
    } else if ((arg === '--healthy' || arg === '--fault-for') && value) {
      const ms = parseDuration(value);
      if (ms === null) throw new Error(`${arg} must be a duration such as 30s or 2m, got "${value}"`);
      if (arg === '--healthy') options.timing.healthyMs = ms;
      else options.timing.faultMs = ms;
      i++;
    } else {
      throw new Error(`unknown argument "${arg}"\n${DEMO_USAGE}`);
    }
  }
  return options;
}

/** Lets the control server start before the fleet exists (the app must know its URL first). */
class LateFleet implements FaultApplier {
  fleet: Fleet | null = null;
  private get ready(): Fleet {
    if (!this.fleet) throw new Error('the fleet is still starting');
    return this.fleet;
  }
  describe() {
    return this.fleet?.describe() ?? { rps: 0, services: [] };
  }
  apply(fault: Parameters<FaultApplier['apply']>[0]) {
    return this.ready.apply(fault);
  }
  revert(fault: Parameters<FaultApplier['revert']>[0]) {
    return this.ready.revert(fault);
  }
}

async function playScenario(scenario: Scenario, timing: ScenarioTiming, api: { appUrl: string; adminKey: string }, isStopped: () => boolean): Promise<void> {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
  say(`Scenario "${scenario.name}": ${scenario.story}.`);
  say(`  healthy for ${timing.healthyMs / 1000} s, then the fault for ${timing.faultMs / 1000} s, then recovery.`);
  await wait(timing.healthyMs);
  if (isStopped()) return;
  const recorded = await injectFault(api, { ...scenario.fault, durationMs: timing.faultMs }, 'scenario');
  say(`Fault injected: ${recorded.kind} ${recorded.target} (until ${recorded.endsAt}). Open the dashboard and watch.`);
  await wait(timing.faultMs);
  if (isStopped()) return;
  say(`Fault over: ${recorded.kind} ${recorded.target} reverted; the fleet recovers.`);
}

export async function runDemo(argv: string[]): Promise<void> {
  const options = parseDemoArgs(argv);
  // Demo accounts get printed passwords: keep the app on this machine unless told otherwise.
  process.env.HOST ??= '127.0.0.1';
  // The app's request log would bury the banner; warnings and errors still show.
  process.env.LOG_LEVEL ??= 'warn';
  const config = env();
  const applier = new LateFleet();
  const control = await startControlServer({ applier });
  const accounts: Array<{ email: string; password: string; role: Role }> = [];
  const keys = { ingest: '', admin: '' };
  let fleet: Fleet | null = null;
  let load: LoadGenerator | null = null;
  let stopped = false;

  await launch('start', {
    appEnv: { FAULTLINE_CHAOS_URL: control.url, FAULTLINE_CHAOS_TOKEN: control.token },
    prepare: async () => {
      const ended = await endFaultsOfStoppedFleet();
      if (ended > 0) say(`Closed ${ended} fault record(s) left running by an earlier demo.`);
      for (const account of DEMO_ACCOUNTS) accounts.push(await resetDemoUser(account.email, account.role));
      // Fresh keys every run; the previous run's are revoked so they do not pile up.
      for (const key of await listKeys({ actor: system })) {
        if (DEMO_KEY_NAMES.includes(key.name) && !key.revokedAt) await revokeApiKey({ actor: system, id: key.id });
      }
      keys.ingest = (await createApiKey({ actor: system, input: { name: 'demo-fleet', scopes: ['ingest'] } })).key;
      keys.admin = (await createApiKey({ actor: system, input: { name: 'demo-admin', scopes: ['admin'] } })).key;
    },
    afterReady: async (appUrl) => {
      const api = { appUrl, adminKey: keys.admin };
      say('Starting the fleet (10 services, 11 processes)…');
      fleet = await Fleet.start({ faultlineUrl: appUrl, ingestKey: keys.ingest, log: process.env.DEMO_VERBOSE ? say : undefined });
      applier.fleet = fleet;
      await registerProbes(api, fleet);
      load = startLoad({ url: fleet.frontendUrl, rps: options.rps, onRps: (rps) => (fleet!.rps = rps) });
      fleet.rps = options.rps;
      writeDemoState(config.FAULTLINE_DATA_DIR, { ...api, pid: process.pid });
      if (options.scenario) {
        void playScenario(options.scenario, options.timing, api, () => stopped).catch((err: Error) => say(`Scenario stopped: ${err.message}`));
      }
      const browse = `http://localhost:${config.PORT}`;
      return {
        lines: [
          `Faultline demo: ${browse}`,
          '',
          'Sign in as (passwords are new on every run):',
          ...accounts.map((a) => `  ${a.role.padEnd(9)} ${a.email.padEnd(22)} ${a.password}`),
          '',
          `Fleet: ${fleet.instances.length} processes, ${options.rps} user requests/s into ${fleet.frontendUrl}`,
          'Break something:  npm run chaos -- partition checkout:payment --for 2m',
          '                  npm run chaos -- list        (all switches: npm run chaos -- help)',
          'or Settings → Chaos in the dashboard. Ctrl-C stops everything.',
        ],
        stop: async () => {
          stopped = true;
          removeDemoState(config.FAULTLINE_DATA_DIR);
          await endActiveFaults(api).catch(() => undefined);
          await load?.stop();
          await fleet?.stop();
          await control.close();
        },
      };
    },
  });
}

/** One probe target per fleet instance's /health (replacing the previous run's, whose ports differ). */
async function registerProbes(api: { appUrl: string; adminKey: string }, fleet: Fleet): Promise<void> {
  const existing = await callFaultline<Array<{ id: string; name: string }>>(api, 'GET', '/api/probe-targets');
  const names = new Set(fleet.healthTargets().map((t) => t.name));
  for (const target of existing) if (names.has(target.name)) await callFaultline(api, 'DELETE', `/api/probe-targets/${target.id}`);
  for (const target of fleet.healthTargets()) {
    await callFaultline(api, 'POST', '/api/probe-targets', { ...target, intervalSeconds: 10, timeoutMs: 3000, parseHealthJson: true });
  }
}

/** Switches off what is still on, so the record shows when each fault really ended. */
async function endActiveFaults(api: { appUrl: string; adminKey: string }): Promise<void> {
  const state = await callFaultline<ChaosState>(api, 'GET', '/api/chaos');
  for (const f of state.injections) if (f.status === 'active') await callFaultline(api, 'DELETE', `/api/chaos/${f.id}`);
}
