// `npm run chaos -- <fault> <target> [--for 2m] [--rate 0.5] [--ms 800] | list | clear <id|all> | help`
// Switches go through the running demo's Faultline (/api/chaos), which records each one.
import { env } from '@/lib/config/env';
import { FAULT_DESCRIPTIONS, FAULT_KINDS, FaultInput, parseDuration, type ChaosState, type FaultInjectionDto } from '@/lib/schemas/chaos';
import { callFaultline, injectFault, readDemoState } from './faultline-client';

const out = (line = '') => process.stdout.write(`${line}\n`);

export const CHAOS_USAGE = `usage: npm run chaos -- <fault> <target> [--for 2m] [--rate 0.5] [--ms 800]
       npm run chaos -- list | clear <id|all> | help
faults:
${FAULT_KINDS.map((k) => `  ${k.padEnd(16)} ${FAULT_DESCRIPTIONS[k].target.padEnd(14)} ${FAULT_DESCRIPTIONS[k].effect}`).join('\n')}`;

function describe(f: FaultInjectionDto): string {
  const params = [f.params.rate !== undefined ? `rate ${f.params.rate}` : '', f.params.ms !== undefined ? `${f.params.ms} ms` : ''].filter(Boolean).join(', ');
  const until = f.endedAt ? `ended ${f.endedAt}` : f.endsAt ? `until ${f.endsAt}` : 'until cleared';
  return `${f.id}  ${f.status.padEnd(8)} ${f.kind} ${f.target}${params ? ` (${params})` : ''}  since ${f.startedAt}, ${until}  by ${f.actor} via ${f.source}`;
}

/** Parses `<fault> <target> [flags]` into a FaultInput; throws with the reason. */
export function parseFaultArgs(args: string[]): FaultInput {
  const [kind, target, ...rest] = args;
  const raw: Record<string, unknown> = { kind, target };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--for') {
      const ms = parseDuration(value);
      if (ms === null) throw new Error(`--for must be a duration such as 90s, 2m or 1h, got "${value}"`);
      raw.durationMs = ms;
    } else if (flag === '--rate') raw.rate = Number(value);
    else if (flag === '--ms') raw.ms = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  const parsed = FaultInput.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`).join('; '));
  return parsed.data;
}

export async function runChaosCli(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help') {
    out(CHAOS_USAGE);
    return command ? 0 : 64;
  }
  const state = readDemoState(env().FAULTLINE_DATA_DIR);
  if (!state) {
    out('No demo is running here: start one with `npm run demo` (chaos switches act on its fleet).');
    return 69; // EX_UNAVAILABLE
  }
  if (command === 'list') {
    const chaos = await callFaultline<ChaosState>(state, 'GET', '/api/chaos');
    if (chaos.fleet) out(`fleet: ${chaos.fleet.services.map((s) => `${s.name}${s.instances.length > 1 ? `×${s.instances.length}` : ''}`).join(', ')}`);
    out(chaos.injections.length === 0 ? 'no faults injected yet' : chaos.injections.map(describe).join('\n'));
    return 0;
  }
  if (command === 'clear') {
    const which = rest[0];
    if (!which) throw new Error('clear needs a fault id (see `npm run chaos -- list`) or "all"');
    const chaos = await callFaultline<ChaosState>(state, 'GET', '/api/chaos');
    const ids = which === 'all' ? chaos.injections.filter((f) => f.status === 'active').map((f) => f.id) : [which];
    for (const id of ids) out(`cleared: ${describe(await callFaultline<FaultInjectionDto>(state, 'DELETE', `/api/chaos/${id}`))}`);
    if (ids.length === 0) out('nothing active to clear');
    return 0;
  }
  const fault = parseFaultArgs([command, ...rest]);
  out(`injected: ${describe(await injectFault(state, fault, 'cli'))}`);
  return 0;
}
