// The demo's and the chaos CLI's way into Faultline: its JSON API with the demo's admin key, so
// every fault goes through /api/chaos and is recorded there (the truth later evaluations use).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultInjectionDto, FaultInput } from '@/lib/schemas/chaos';

export interface DemoState {
  appUrl: string;
  adminKey: string;
  pid: number;
}

export function demoStatePath(dataDir: string): string {
  return join(dataDir, 'demo.json');
}

export function writeDemoState(dataDir: string, state: DemoState): void {
  writeFileSync(demoStatePath(dataDir), JSON.stringify(state, null, 2), { mode: 0o600 });
}

export function removeDemoState(dataDir: string): void {
  rmSync(demoStatePath(dataDir), { force: true });
}

/** The running demo's state, or null when no demo runs (the file is missing or its process is gone). */
export function readDemoState(dataDir: string): DemoState | null {
  const path = demoStatePath(dataDir);
  if (!existsSync(path)) return null;
  const state = JSON.parse(readFileSync(path, 'utf8')) as DemoState;
  try {
    process.kill(state.pid, 0);
  } catch {
    return null;
  }
  return state;
}

export class FaultlineApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function callFaultline<T>(state: Pick<DemoState, 'appUrl' | 'adminKey'>, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${state.appUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${state.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const message = (json as { error?: { message?: string } } | null)?.error?.message ?? `${res.status} ${res.statusText}`;
    throw new FaultlineApiError(res.status, message);
  }
  return json as T;
}


export function injectFault(state: Pick<DemoState, 'appUrl' | 'adminKey'>, fault: FaultInput, source: 'cli' | 'scenario'): Promise<FaultInjectionDto> {
  return callFaultline<FaultInjectionDto>(state, 'POST', '/api/chaos', { ...fault, source });
}
