// Detection end to end: rule settings → snapshot at an event time → signals → alert lifecycle →
// alerts, history and outbox rows written in one transaction. The live detector runs one tick at
// a time; a replay (POST /api/admin/evaluate) steps through a past window with the same code and
// merges what it finds with what is already recorded, so re-running it changes nothing.
import { audit } from '@/lib/auth/audit';
import { env } from '@/lib/config/env';
import {
  activeSilenceRows,
  alertsOverlapping,
  inDetectionTransaction,
  insertAlertEvents,
  insertAlertRow,
  openAlertRows,
  updateAlertRow,
  type AlertRow,
  type NewAlert,
} from '@/lib/db/alerts';
import type { DbClient } from '@/lib/db/client';
import { listWebhookRows } from '@/lib/db/notifications';
import { enqueueAlertEvent, matchingSilence } from '@/lib/notify/outbox';
import { severityRank, type AlertEntity, type RuleConfig } from '@/lib/schemas/alerts';
import { advanceAlerts, applyTransitions, type OpenAlert, type Transition } from './lifecycle';
import { loadRuleConfig } from './rule-settings';
import type { Signal } from './rules';
import { evaluateRules } from './rules';
import { buildSnapshot, loadDetectionInputs, snapshotAt } from './snapshot';

/** Spacing of evaluation times, live and in replays. */
export const DETECTION_STEP_MS = 5_000;

const DETECTOR = { actorType: 'system' as const, actorLabel: 'detector' };
const DETECTOR_ACTOR = { kind: 'system', name: 'detector' } as const;

export function publicBaseUrl(): string {
  const config = env();
  return config.FAULTLINE_PUBLIC_URL ?? `http://localhost:${config.PORT}`;
}

function entityColumns(entity: AlertEntity): { entityType: string; service: string; target: string | null } {
  switch (entity.type) {
    case 'service':
      return { entityType: 'service', service: entity.service, target: null };
    case 'edge':
      return { entityType: 'edge', service: entity.source, target: entity.target };
    case 'dependency':
      return { entityType: 'dependency', service: entity.service, target: entity.dependency };
  }
}

/** Traffic drops are worse the lower they go; everything else the higher. */
const worse = (rule: string, a: number, b: number) => (rule === 'traffic_drop' ? Math.min(a, b) : Math.max(a, b));

function newAlertOf(signal: Signal, startedAt: Date, lastSeenAt: Date): NewAlert {
  return {
    fingerprint: signal.fingerprint,
    openFingerprint: signal.fingerprint,
    rule: signal.rule,
    ...entityColumns(signal.entity),
    severity: signal.severity,
    severityRank: severityRank(signal.severity),
    summary: signal.summary,
    observed: signal.observed,
    threshold: signal.threshold,
    peakObserved: signal.observed,
    windowMs: signal.windowMs,
    startedAt,
    lastSeenAt,
  };
}

export interface TickOutcome {
  at: Date;
  fired: string[];
  resolved: string[];
  updated: number;
}

/** Writes one tick's transitions for the live detector (alerts, history, notifications). */
async function recordTransitions(tx: DbClient, open: readonly AlertRow[], transitions: readonly Transition[]): Promise<TickOutcome['fired']> {
  const fired: string[] = [];
  if (transitions.length === 0) return fired;
  const openByFingerprint = new Map(open.map((a) => [a.fingerprint, a]));
  const ctx = { destinations: await listWebhookRows(tx), silences: await activeSilenceRows(new Date(), tx), baseUrl: publicBaseUrl() };
  for (const t of transitions) {
    if (t.type === 'fire') {
      const data = newAlertOf(t.signal, t.at, t.at);
      const silence = matchingSilence(ctx.silences, data);
      const alert = await insertAlertRow({ ...data, silenceId: silence?.id ?? null }, tx);
      await insertAlertEvents([{ alertId: alert.id, at: t.at, type: 'fired', ...DETECTOR, details: { observed: t.signal.observed, threshold: t.signal.threshold, summary: t.signal.summary, ...(silence ? { silencedBy: silence.id } : {}) } }], tx);
      await audit({ actor: DETECTOR_ACTOR, action: 'alert.fire', target: { type: 'alert', id: alert.id }, details: { summary: alert.summary, eventTime: t.at.toISOString() } }, tx);
      await enqueueAlertEvent(tx, ctx, 'fired', alert, 'detector');
      fired.push(alert.id);
    } else if (t.type === 'update') {
      const alert = openByFingerprint.get(t.signal.fingerprint)!;
      // "Silenced" tracks the silences in force now, so one created after the alert fired shows.
      const silence = matchingSilence(ctx.silences, alert);
      await updateAlertRow(
        alert.id,
        {
          observed: t.signal.observed,
          summary: t.signal.summary,
          threshold: t.signal.threshold,
          peakObserved: worse(alert.rule, alert.peakObserved, t.signal.observed),
          lastSeenAt: t.at,
          severity: t.signal.severity,
          severityRank: severityRank(t.signal.severity),
          silenceId: silence?.id ?? null,
        },
        tx,
      );
      if (t.signal.severity !== alert.severity) {
        await insertAlertEvents([{ alertId: alert.id, at: t.at, type: 'severity_changed', ...DETECTOR, details: { from: alert.severity, to: t.signal.severity } }], tx);
      }
    } else {
      const alert = openByFingerprint.get(t.fingerprint)!;
      const resolved = await updateAlertRow(alert.id, { state: 'resolved', openFingerprint: null, resolvedAt: t.at, resolvedBy: 'detector' }, tx);
      await insertAlertEvents([{ alertId: alert.id, at: t.at, type: 'resolved', ...DETECTOR, note: 'condition clear for the hold-down period' }], tx);
      await audit({ actor: DETECTOR_ACTOR, action: 'alert.resolve', target: { type: 'alert', id: alert.id }, details: { summary: alert.summary, eventTime: t.at.toISOString() } }, tx);
      await enqueueAlertEvent(tx, ctx, 'resolved', resolved, 'detector');
    }
  }
  return fired;
}

/** One live evaluation at event time `at`. */
export async function runDetectionTick(at: Date, options: { rules?: RuleConfig; holdDownMs?: number } = {}): Promise<TickOutcome> {
  const rules = options.rules ?? (await loadRuleConfig());
  const holdDownMs = options.holdDownMs ?? env().ALERT_HOLD_DOWN_SECONDS * 1000;
  const signals = evaluateRules(await buildSnapshot(at, rules), rules);
  return inDetectionTransaction(async (tx) => {
    // Read under the lock: a replay or another replica may have changed the open set.
    const open = await openAlertRows(tx);
    const transitions = advanceAlerts(
      open.map((a) => ({ fingerprint: a.fingerprint, lastSeenAt: a.lastSeenAt })),
      signals,
      at,
      holdDownMs,
    );
    const fired = await recordTransitions(tx, open, transitions);
    return {
      at,
      fired,
      resolved: transitions.filter((t) => t.type === 'resolve').map((t) => (t as { fingerprint: string }).fingerprint),
      updated: transitions.filter((t) => t.type === 'update').length,
    };
  });
}

/** One alert episode a replay found: when its condition began, was last seen, and cleared. */
export interface Episode {
  signal: Signal;
  startedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  peak: number;
}

/** The pure part of a replay: the episodes the lifecycle produces stepping through [from, to]. */
export function episodesOf(ticks: Iterable<{ at: Date; signals: readonly Signal[] }>, holdDownMs: number): Episode[] {
  let open: OpenAlert[] = [];
  const current = new Map<string, Episode>();
  const done: Episode[] = [];
  for (const { at, signals } of ticks) {
    const transitions = advanceAlerts(open, signals, at, holdDownMs);
    for (const t of transitions) {
      if (t.type === 'fire') current.set(t.signal.fingerprint, { signal: t.signal, startedAt: at, lastSeenAt: at, resolvedAt: null, peak: t.signal.observed });
      else if (t.type === 'update') {
        const e = current.get(t.signal.fingerprint)!;
        e.lastSeenAt = at;
        e.peak = worse(t.signal.rule, e.peak, t.signal.observed);
        e.signal = t.signal;
      } else {
        const e = current.get(t.fingerprint)!;
        e.resolvedAt = at;
        current.delete(t.fingerprint);
        done.push(e);
      }
    }
    open = applyTransitions(open, transitions);
  }
  return [...done, ...current.values()].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.signal.fingerprint.localeCompare(b.signal.fingerprint));
}

export interface ReplayOutcome {
  from: Date;
  to: Date;
  ticks: number;
  stepMs: number;
  alerts: Array<{ alert: AlertRow; recorded: 'new' | 'existing' }>;
}

/**
 * Evaluates every step of [from, to] and records the alerts found: an episode that overlaps an
 * alert already recorded for the same fingerprint is that alert; others are recorded as replayed
 * alerts (resolved if they cleared inside the window). Replays record; they never page anyone.
 */
export async function replayDetection(from: Date, to: Date, actorLabel: string, options: { rules?: RuleConfig; holdDownMs?: number } = {}): Promise<ReplayOutcome> {
  const rules = options.rules ?? (await loadRuleConfig());
  const holdDownMs = options.holdDownMs ?? env().ALERT_HOLD_DOWN_SECONDS * 1000;
  const inputs = await loadDetectionInputs(from, to, rules);
  const times: Date[] = [];
  for (let t = Math.ceil(from.getTime() / DETECTION_STEP_MS) * DETECTION_STEP_MS; t <= to.getTime(); t += DETECTION_STEP_MS) times.push(new Date(t));
  const episodes = episodesOf(
    times.map((at) => ({ at, signals: evaluateRules(snapshotAt(inputs, at, rules), rules) })),
    holdDownMs,
  );

  const alerts = await inDetectionTransaction(async (tx) => {
    const known = await alertsOverlapping([...new Set(episodes.map((e) => e.signal.fingerprint))], new Date(from.getTime() - holdDownMs), new Date(to.getTime() + holdDownMs), tx);
    const out: ReplayOutcome['alerts'] = [];
    for (const e of episodes) {
      const end = (e.resolvedAt ?? to).getTime() + holdDownMs;
      const same = known.find(
        (a) => a.fingerprint === e.signal.fingerprint && a.startedAt.getTime() <= end && (a.resolvedAt === null || a.resolvedAt.getTime() >= e.startedAt.getTime() - holdDownMs),
      );
      if (same) {
        out.push({ alert: same, recorded: 'existing' });
        continue;
      }
      // Still holding at the window's end: open, unless an alert of this fingerprint is open
      // already (it began later than this window), in which case the episode ends where it was last seen.
      const stillOpen = e.resolvedAt === null && !(await openAlertRows(tx)).some((a) => a.fingerprint === e.signal.fingerprint);
      const resolvedAt = e.resolvedAt ?? (stillOpen ? null : e.lastSeenAt);
      const alert = await insertAlertRow(
        {
          ...newAlertOf(e.signal, e.startedAt, e.lastSeenAt),
          peakObserved: e.peak,
          openFingerprint: resolvedAt ? null : e.signal.fingerprint,
          state: resolvedAt ? 'resolved' : 'firing',
          resolvedAt,
          resolvedBy: resolvedAt ? 'detector' : null,
          replayed: true,
        },
        tx,
      );
      const actor = { actorType: 'system' as const, actorLabel: `replay by ${actorLabel}` };
      await insertAlertEvents(
        [
          { alertId: alert.id, at: e.startedAt, type: 'fired', ...actor, details: { observed: e.signal.observed, threshold: e.signal.threshold, summary: e.signal.summary } },
          ...(resolvedAt ? [{ alertId: alert.id, at: resolvedAt, type: 'resolved', ...actor }] : []),
        ],
        tx,
      );
      known.push(alert);
      out.push({ alert, recorded: 'new' });
    }
    return out;
  });
  return { from, to, ticks: times.length, stepMs: DETECTION_STEP_MS, alerts };
}
