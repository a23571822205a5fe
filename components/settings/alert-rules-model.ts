// The alert-rules form's model: which numbers each rule has, how they show (milliseconds as
// seconds, fractions as percent) and how the API's messages, written in stored units, map back.
import { DEFAULT_RULES, RULE_KINDS, SEVERITIES, type RuleConfig, type RuleKind, type Severity } from '@/lib/schemas/alerts';

/** How a stored number is shown: ms as seconds, fractions as percent, the rest as is. */
export type FieldUnit = 'seconds' | 'percent' | 'plain';

export interface RuleField {
  key: string;
  label: string;
  unit: FieldUnit;
  /** Said after the input, e.g. "s", "%", "×". */
  suffix: string;
  hint?: string;
}

const seconds = (key: string, label: string, hint?: string): RuleField => ({ key, label, unit: 'seconds', suffix: 's', hint });
const percent = (key: string, label: string, hint?: string): RuleField => ({ key, label, unit: 'percent', suffix: '%', hint });
const plain = (key: string, label: string, suffix = '', hint?: string): RuleField => ({ key, label, unit: 'plain', suffix, hint });

const MIN_REQUESTS = plain('minRequests', 'Minimum requests', '', 'fewer in the window: too little traffic to judge');

export const RULE_FIELDS: Record<RuleKind, readonly RuleField[]> = {
  error_rate: [percent('threshold', 'Error rate at least'), MIN_REQUESTS, seconds('windowMs', 'Window')],
  latency_p99: [seconds('sloMs', 'p99 above (SLO)'), MIN_REQUESTS, seconds('windowMs', 'Window')],
  burn_rate: [
    percent('objective', 'Objective', 'e.g. 99.9'),
    plain('factor', 'Burn factor at least', '×'),
    seconds('longWindowMs', 'Long window'),
    seconds('shortWindowMs', 'Short window'),
    MIN_REQUESTS,
  ],
  probe_failing: [plain('consecutive', 'Failures in a row')],
  breaker_open: [seconds('forMs', 'Open for at least')],
  retry_amplification: [plain('factor', 'Attempts per call at least', '×'), MIN_REQUESTS, seconds('windowMs', 'Window')],
  queue_lag: [
    seconds('thresholdMs', 'Lag p95 above'),
    seconds('windowMs', 'Window'),
    plain('growthFactor', 'Or growing at least', '×', 'second half of the window against the first'),
    seconds('growthFloorMs', 'Growing counts from', 'lag below this is never "growing"'),
  ],
  traffic_drop: [
    percent('dropTo', 'Falls to at most', 'of the baseline'),
    plain('minBaselineRps', 'Minimum baseline', 'req/s'),
    seconds('windowMs', 'Window'),
    seconds('baselineMs', 'Baseline over'),
  ],
};

export const RULE_DESCRIPTIONS: Record<RuleKind, string> = {
  error_rate: "A service's or a call edge's share of failed requests over the window.",
  latency_p99: "A service's 99th-percentile latency over the window, against its SLO.",
  burn_rate: 'Error budget burning too fast in both the long and the short window (multi-window burn rate).',
  probe_failing: 'A probe target failing this many results in a row.',
  breaker_open: 'A circuit breaker open, or forced open, for longer than this.',
  retry_amplification: 'Attempts per logical call on an edge: 1 means no retries.',
  queue_lag: 'Publish-to-process lag p95 on a queue → consumer edge, above a threshold or growing fast.',
  traffic_drop: 'Requests per second fell to this share of the recent baseline (a partition often looks like silence).',
};

// Rounded so 0.999 shows as 99.9 and 99.9 saves as 0.999, not 0.9990000000000001.
const tidy = (n: number) => Number(n.toPrecision(12));

export function toDisplay(unit: FieldUnit, stored: number): number {
  if (unit === 'seconds') return tidy(stored / 1000);
  if (unit === 'percent') return tidy(stored * 100);
  return stored;
}

export function fromDisplay(unit: FieldUnit, shown: number): number {
  // Stored durations are whole milliseconds.
  if (unit === 'seconds') return Math.round(shown * 1000);
  if (unit === 'percent') return tidy(shown / 100);
  return shown;
}

/** One rule as the form holds it: numbers as typed, so a half-typed "0." is not rewritten under the cursor. */
export interface RuleFormValues {
  enabled: boolean;
  severity: Severity;
  values: Record<string, string>;
}
export type RulesForm = Record<RuleKind, RuleFormValues>;

type StoredRule = { enabled: boolean; severity: Severity } & Record<string, unknown>;

function ruleToForm(kind: RuleKind, rule: StoredRule): RuleFormValues {
  const values: Record<string, string> = {};
  for (const f of RULE_FIELDS[kind]) {
    const stored = rule[f.key];
    values[f.key] = typeof stored === 'number' ? String(toDisplay(f.unit, stored)) : '';
  }
  return { enabled: rule.enabled, severity: SEVERITIES.includes(rule.severity) ? rule.severity : 'warning', values };
}

export function ruleFormFor(kind: RuleKind, config: RuleConfig): RuleFormValues {
  // A rule kind newer than the stored set starts from its defaults rather than breaking the form.
  return ruleToForm(kind, (config[kind] ?? DEFAULT_RULES[kind]) as StoredRule);
}

export function toRulesForm(config: RuleConfig): RulesForm {
  return Object.fromEntries(RULE_KINDS.map((k) => [k, ruleFormFor(k, config)])) as RulesForm;
}

/** The whole rule set for PUT /api/alert-rules; a blank field goes as null, which the API rejects with a message on that field. */
export function fromRulesForm(form: RulesForm): Record<RuleKind, Record<string, unknown>> {
  const out = {} as Record<RuleKind, Record<string, unknown>>;
  for (const kind of RULE_KINDS) {
    const rule = form[kind];
    const body: Record<string, unknown> = { enabled: rule.enabled, severity: rule.severity };
    for (const f of RULE_FIELDS[kind]) {
      const text = (rule.values[f.key] ?? '').trim();
      const shown = Number(text);
      body[f.key] = text === '' || !Number.isFinite(shown) ? null : fromDisplay(f.unit, shown);
    }
    out[kind] = body;
  }
  return out;
}

/** `rule.field` keys of the form; messages about anything else stay general. */
export const fieldPath = (kind: RuleKind, key: string) => `${kind}.${key}`;

export interface RuleErrors {
  fields: Record<string, string>;
  general: string | null;
}

function fieldOf(kind: string, key: string): RuleField | undefined {
  return (RULE_KINDS as readonly string[]).includes(kind) ? RULE_FIELDS[kind as RuleKind].find((f) => f.key === key) : undefined;
}

/** A message in stored units ("must be at most 1", "must be at least 1000 ms") restated in the form's. */
export function restateMessage(kind: RuleKind, field: RuleField | undefined, message: string): string {
  let text = message;
  if (field?.unit === 'seconds') text = text.replace(/(\d+(?:\.\d+)?)(?: ?ms\b)?/g, (_, n: string) => `${toDisplay('seconds', Number(n))} s`);
  else if (field?.unit === 'percent') text = text.replace(/\d+(?:\.\d+)?/g, (n) => `${toDisplay('percent', Number(n))}%`);
  // Other fields named in the message ("must be shorter than longWindowMs") by their labels.
  for (const other of RULE_FIELDS[kind]) text = text.replace(new RegExp(`\\b${other.key}\\b`, 'g'), other.label.toLowerCase());
  return text;
}

/**
 * Spreads "body.error_rate.threshold: must be at most 1; body.burn_rate.shortWindowMs: …" over
 * the form's fields; whatever names no field (a whole rule, a refused session) is kept whole.
 */
export function splitRuleErrors(message: string): RuleErrors {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of message.split(/; (?=body[.:])/)) {
    const match = /^body\.([a-z0-9_]+)\.([A-Za-z]+)[^:]*: ([\s\S]*)$/.exec(part);
    const [, kind = '', key = '', text = ''] = match ?? [];
    const field = fieldOf(kind, key);
    const path = fieldPath(kind as RuleKind, key);
    if (match && (field || key === 'enabled' || key === 'severity') && fields[path] === undefined) fields[path] = restateMessage(kind as RuleKind, field, text);
    else rest.push(part);
  }
  return { fields, general: rest.length > 0 ? rest.join('; ') : null };
}
