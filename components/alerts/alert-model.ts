// Pure preparation of alert data for the Alerts pages: labels, each rule's unit, the filters the
// URL carries, the signal chart's model and what a responder's action turned out to do.
import { z } from 'zod';
import { formatMs, formatPercent, formatRps } from '@/components/graph/graph-model';
import { formatElapsed } from '@/components/services/service-model';
import { RULE_KINDS, RULE_LABELS, SEVERITIES, type AlertActionOutcome, type AlertDto, type RuleKind, type Severity, type SignalSeriesDto, type SilenceDto } from '@/lib/schemas/alerts';

// ——— Rules and entities ———

export { RULE_LABELS };

/** What a rule's reading is measured in, for axis captions and screen-reader summaries. */
export const RULE_UNITS: Record<RuleKind, string> = {
  error_rate: 'percent of requests failing',
  latency_p99: 'milliseconds',
  burn_rate: 'times the allowed burn',
  probe_failing: 'failures in a row',
  breaker_open: 'time open',
  retry_amplification: 'attempts per call',
  queue_lag: 'milliseconds',
  traffic_drop: 'requests per second',
};

const trim = (value: number, digits: number) => String(Number(value.toFixed(digits)));

/** A rule's reading with its unit: "12%", "1.2 s", "14.4×", "0.3 req/s", "1.75 attempts/call", "3 in a row". */
export function formatRuleValue(rule: RuleKind, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (rule) {
    case 'error_rate':
      return formatPercent(value);
    case 'latency_p99':
    case 'queue_lag':
    case 'breaker_open':
      return formatMs(value);
    case 'burn_rate':
      return `${trim(value, 1)}×`;
    case 'traffic_drop':
      return `${formatRps(value)} req/s`;
    case 'retry_amplification':
      return `${trim(value, 2)} attempts/call`;
    case 'probe_failing':
      return `${Math.round(value)} in a row`;
  }
}

/** The shorter form for axis ticks, where the caption already names the unit. */
export function formatAxisValue(rule: RuleKind, value: number): string {
  switch (rule) {
    case 'traffic_drop':
      return formatRps(value);
    case 'retry_amplification':
      return trim(value, 2);
    case 'probe_failing':
      return String(Math.round(value));
    default:
      return formatRuleValue(rule, value);
  }
}

/** Traffic drops breach below the line; every other rule above it (as lib/detect/rules.ts decides). */
export function isBreach(rule: RuleKind, value: number, threshold: number): boolean {
  if (rule === 'traffic_drop') return value <= threshold;
  if (rule === 'latency_p99' || rule === 'queue_lag') return value > threshold;
  return value >= threshold;
}

/** "checkout", "checkout → payments" (an edge), "checkout → redis" (a probed or guarded dependency). */
export function entityLabel(entity: AlertDto['entity']): string {
  switch (entity.type) {
    case 'service':
      return entity.service;
    case 'edge':
      return `${entity.source} → ${entity.target}`;
    case 'dependency':
      return `${entity.service} → ${entity.dependency}`;
  }
}

/** The second name an alert is about, which a silence can match as its target. */
export function entityTarget(entity: AlertDto['entity']): string | null {
  if (entity.type === 'edge') return entity.target;
  if (entity.type === 'dependency') return entity.dependency;
  return null;
}

// ——— Filters in the URL ———

export const STATE_FILTERS = ['open', 'firing', 'acknowledged', 'resolved', 'all'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];
export const STATE_FILTER_LABELS: Record<StateFilter, string> = {
  open: 'Open (firing or acknowledged)',
  firing: 'Firing',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved (last 24 h)',
  all: 'All (open, and resolved in the last 24 h)',
};

export interface AlertFilters {
  state: StateFilter;
  severity: Severity | '';
  rule: RuleKind | '';
  service: string;
}

export const DEFAULT_FILTERS: AlertFilters = { state: 'open', severity: '', rule: '', service: '' };

const oneOf = <T extends string>(values: readonly T[], value: string | null | undefined): value is T => value !== null && value !== undefined && (values as readonly string[]).includes(value);

/** The page's `?state=&severity=&rule=&service=`; anything unknown falls back to its default rather than failing the page. */
export function parseAlertFilters(params: { get(name: string): string | null }): AlertFilters {
  const state = params.get('state');
  const severity = params.get('severity');
  const rule = params.get('rule');
  return {
    state: oneOf(STATE_FILTERS, state) ? state : DEFAULT_FILTERS.state,
    severity: oneOf(SEVERITIES, severity) ? severity : '',
    rule: oneOf(RULE_KINDS, rule) ? rule : '',
    service: params.get('service')?.trim() ?? '',
  };
}

/** The page's query string, defaults left out so the plain /alerts link and an untouched filter agree. */
export function filtersQueryString(filters: AlertFilters): string {
  const params = new URLSearchParams();
  if (filters.state !== DEFAULT_FILTERS.state) params.set('state', filters.state);
  if (filters.severity) params.set('severity', filters.severity);
  if (filters.rule) params.set('rule', filters.rule);
  if (filters.service) params.set('service', filters.service);
  return params.toString();
}

export const ALERT_LIST_LIMIT = 200;

/** GET /api/alerts for the filters; "all" sends no state, which the API reads as open plus resolved in the last 24 h. */
export function alertsApiPath(filters: AlertFilters): string {
  const params = new URLSearchParams();
  if (filters.state === 'open') params.set('state', 'firing,acknowledged');
  else if (filters.state !== 'all') params.set('state', filters.state);
  if (filters.severity) params.set('severity', filters.severity);
  if (filters.rule) params.set('rule', filters.rule);
  if (filters.service) params.set('service', filters.service);
  params.set('limit', String(ALERT_LIST_LIMIT));
  return `/api/alerts?${params}`;
}

export function hasNarrowingFilters(filters: AlertFilters): boolean {
  return filtersQueryString(filters) !== '';
}

// ——— Time ———

/** "45s ago", "3m 12s ago": how long before the reference (the moment the data was fetched). */
export function formatAgo(iso: string, reference: number): string {
  const ms = reference - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return ms < 1000 ? 'just now' : `${formatElapsed(ms)} ago`;
}

/** Full local date and time, for titles and facts. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "10:02", with the date only when it is not the reference's day. */
export function formatShortTime(iso: string, reference: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === new Date(reference).toDateString();
  return date.toLocaleString(undefined, { ...(sameDay ? {} : { month: 'short', day: 'numeric' }), hour: '2-digit', minute: '2-digit' });
}

/** A rule's window: "1m 00s"; probe and breaker rules have none. */
export function formatWindow(ms: number): string {
  return ms > 0 ? formatElapsed(ms) : '—';
}

// ——— History ———

const SeverityChange = z.object({ from: z.enum(SEVERITIES), to: z.enum(SEVERITIES) });

/** "warning → critical" from a severity_changed event's details; empty when they say something else. */
export function describeSeverityChange(details: unknown): string {
  const parsed = SeverityChange.safeParse(details);
  return parsed.success ? `${parsed.data.from} → ${parsed.data.to}` : '';
}

// ——— Outcomes of actions ———

export type AlertAction = 'acknowledge' | 'resolve';

/** What to tell the responder: "Acknowledged." or "Already acknowledged by alice@example.com at 10:02". */
export function describeOutcome(outcome: Pick<AlertActionOutcome, 'outcome' | 'by' | 'at'>, action: AlertAction, reference: number): string {
  if (outcome.outcome === 'done') return action === 'acknowledge' ? 'Acknowledged.' : 'Resolved.';
  const verb = outcome.outcome === 'already_acknowledged' ? 'acknowledged' : 'resolved';
  const by = outcome.by ? ` by ${outcome.by}` : '';
  const at = outcome.at ? ` at ${formatShortTime(outcome.at, reference)}` : '';
  return `Already ${verb}${by}${at}.`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One sentence for a bulk acknowledge: what was done, what others had done already, what was gone. */
export function describeBulkOutcome(result: { results: readonly Pick<AlertActionOutcome, 'outcome'>[]; notFound: readonly string[] }): string {
  const count = (o: AlertActionOutcome['outcome']) => result.results.filter((r) => r.outcome === o).length;
  const parts = [`Acknowledged ${plural(count('done'), 'alert', 'alerts')}`];
  if (count('already_acknowledged') > 0) parts.push(`${count('already_acknowledged')} already acknowledged`);
  if (count('already_resolved') > 0) parts.push(`${count('already_resolved')} already resolved`);
  if (result.notFound.length > 0) parts.push(`${result.notFound.length} no longer found`);
  return `${parts.join('; ')}.`;
}

// ——— Keyboard shortcuts on an alert's page ———

export type Shortcut = 'acknowledge' | 'resolve' | 'note' | 'silence';
const SHORTCUT_KEYS: Record<string, Shortcut> = { a: 'acknowledge', r: 'resolve', n: 'note', s: 'silence' };

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

/** The shortcut a key press means, or null: never while typing, never with a modifier (browser and screen-reader keys). */
export function shortcutFor(event: KeyLike): Shortcut | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return null;
  const tag = event.target?.tagName?.toUpperCase();
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || event.target?.isContentEditable) return null;
  return SHORTCUT_KEYS[event.key] ?? null;
}

// ——— Signal chart ———

export interface SignalPoint {
  t: number;
  value: number | null;
  threshold: number;
}

export interface SignalChart {
  rule: RuleKind;
  from: number;
  to: number;
  points: SignalPoint[];
  /** Constant threshold: drawn as a reference line rather than a second series. */
  threshold: number;
  thresholdVaries: boolean;
  /** The alert's open span, clipped to the chart. */
  openFrom: number | null;
  openTo: number | null;
  resolvedAt: number | null;
  peak: { t: number; value: number } | null;
  breachedSteps: number;
  measuredSteps: number;
}

/** The series around the alert, ready to draw; each point's threshold falls back to the alert's. */
export function buildSignalChart(series: SignalSeriesDto, alert: Pick<AlertDto, 'startedAt' | 'resolvedAt'>): SignalChart {
  const from = Date.parse(series.from);
  const to = Date.parse(series.to);
  const points = series.points.map((p) => ({ t: Date.parse(p.at), value: p.value, threshold: p.threshold ?? series.threshold }));
  let peak: SignalChart['peak'] = null;
  let breachedSteps = 0;
  let measuredSteps = 0;
  for (const p of points) {
    if (p.value === null) continue;
    measuredSteps += 1;
    if (isBreach(series.rule, p.value, p.threshold)) breachedSteps += 1;
    // A traffic drop's worst reading is its lowest.
    const isWorse = peak === null || (series.rule === 'traffic_drop' ? p.value < peak.value : p.value > peak.value);
    if (isWorse) peak = { t: p.t, value: p.value };
  }
  const started = Date.parse(alert.startedAt);
  const resolved = alert.resolvedAt ? Date.parse(alert.resolvedAt) : null;
  const openFrom = Math.max(from, started);
  const openTo = Math.min(to, resolved ?? to);
  const isOpenVisible = openFrom <= openTo && started <= to;
  return {
    rule: series.rule,
    from,
    to,
    points,
    threshold: series.threshold,
    thresholdVaries: points.some((p) => p.threshold !== series.threshold),
    openFrom: isOpenVisible ? openFrom : null,
    openTo: isOpenVisible ? openTo : null,
    resolvedAt: resolved !== null && resolved >= from && resolved <= to ? resolved : null,
    peak,
    breachedSteps,
    measuredSteps,
  };
}

/** The chart in one sentence: the text alternative for readers who cannot see the drawing. */
export function describeSignalChart(chart: SignalChart, clock: (t: number) => string): string {
  const label = RULE_LABELS[chart.rule];
  const range = `from ${clock(chart.from)} to ${clock(chart.to)}`;
  if (chart.measuredSteps === 0) return `${label} ${range}: too little traffic to measure; threshold ${formatRuleValue(chart.rule, chart.threshold)}.`;
  const worst = chart.rule === 'traffic_drop' ? 'lowest' : 'peak';
  const peak = chart.peak ? `${worst} ${formatRuleValue(chart.rule, chart.peak.value)} at ${clock(chart.peak.t)}` : '';
  const threshold = `threshold ${chart.thresholdVaries ? 'varying, last ' : ''}${formatRuleValue(chart.rule, chart.points.at(-1)?.threshold ?? chart.threshold)}`;
  const breached = `${chart.breachedSteps} of ${plural(chart.measuredSteps, 'measured step', 'measured steps')} past the threshold`;
  const gaps = chart.points.length - chart.measuredSteps;
  return `${label} ${range}: ${peak}, ${threshold}; ${breached}${gaps > 0 ? `; ${gaps} without enough traffic to judge` : ''}.`;
}

// ——— Silences ———

export type SilenceStatus = 'active' | 'scheduled' | 'ended' | 'expired';

/** Judged at `now` (the last fetch) rather than by the server's `active`, so a list left open still ages correctly. */
export function silenceStatus(silence: Pick<SilenceDto, 'startsAt' | 'endsAt' | 'endedAt'>, now: number): SilenceStatus {
  if (silence.endedAt) return 'ended';
  if (Date.parse(silence.startsAt) > now) return 'scheduled';
  if (Date.parse(silence.endsAt) <= now) return 'expired';
  return 'active';
}

/** "Error rate · service checkout · target payments"; an unnamed part matches anything. */
export function describeSilenceScope(silence: Pick<SilenceDto, 'rule' | 'service' | 'target'>): string {
  const parts = [silence.rule ? RULE_LABELS[silence.rule] : 'Any rule'];
  if (silence.service) parts.push(`service ${silence.service}`);
  if (silence.target) parts.push(`target ${silence.target}`);
  return parts.join(' · ');
}

export interface SilenceDraft {
  rule: RuleKind | '';
  service: string;
  target: string;
  durationMinutes: number;
  reason: string;
}

export const NEW_SILENCE: SilenceDraft = { rule: '', service: '', target: '', durationMinutes: 60, reason: '' };

/** "Silence this": the alert's rule, service and second name, for an hour. */
export function silenceDraftFor(alert: Pick<AlertDto, 'rule' | 'service' | 'entity'>): SilenceDraft {
  return { rule: alert.rule, service: alert.service, target: entityTarget(alert.entity) ?? '', durationMinutes: 60, reason: '' };
}
