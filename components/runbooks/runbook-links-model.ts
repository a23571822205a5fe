import { RULE_LABELS, type AlertDto, type RuleKind } from '@/lib/schemas/alerts';
import type { CandidateRef } from '@/lib/schemas/incidents';
import type { RunbookSection } from '@/lib/schemas/runbooks';

// Pure helpers behind the runbook links beside alerts, incidents and the map: where a link goes,
// what a "write one" link prefills, and what the empty state says. Kept free of React to be tested.

export type RunbookSourceKind = 'alert' | 'incident';
export interface RunbookSource {
  kind: RunbookSourceKind;
  id: string;
}

/** What a new runbook should be linked to when nothing matches yet; both parts optional. */
export interface RunbookSuggestion {
  service?: string;
  ruleKind?: RuleKind;
}

/** Under ['runbooks'], so a runbook save that invalidates that prefix refreshes these too. */
export const runbookMatchesKey = (source: RunbookSource) => ['runbooks', 'matches', source.kind, source.id] as const;
export const serviceRunbooksKey = (service: string) => ['runbooks', 'for-service', service] as const;

export function runbookMatchesPath(source: RunbookSource): string {
  return `/api/${source.kind === 'alert' ? 'alerts' : 'incidents'}/${encodeURIComponent(source.id)}/runbooks`;
}

export function serviceRunbooksPath(service: string): string {
  return `/api/runbooks?${new URLSearchParams({ service })}`;
}

/**
 * A runbook's page, opened at a section when one is given. Slugs are already URL-safe by their
 * schema, and section ids come from headings; both are encoded anyway so that nothing a runbook
 * author writes can change where the link goes (an id with `?`, `#` or `/` stays in the fragment).
 */
export function runbookHref(slug: string, section?: Pick<RunbookSection, 'id'> | null): string {
  const page = `/runbooks/${encodeURIComponent(slug)}`;
  return section && section.id ? `${page}#${encodeURIComponent(section.id)}` : page;
}

/** The new-runbook page with its links prefilled (`/runbooks/new?service=…&ruleKind=…`); empty parts are left out. */
export function newRunbookHref(suggest: RunbookSuggestion = {}): string {
  const params = new URLSearchParams();
  if (suggest.service) params.set('service', suggest.service);
  if (suggest.ruleKind) params.set('ruleKind', suggest.ruleKind);
  const query = params.toString();
  return query ? `/runbooks/new?${query}` : '/runbooks/new';
}

/** "No runbook covers checkout or Retry amplification yet." and the shorter forms when a part is unknown. */
export function describeNoMatch(suggest: RunbookSuggestion = {}): string {
  const parts = [suggest.service, suggest.ruleKind && RULE_LABELS[suggest.ruleKind]].filter((p): p is string => Boolean(p));
  return parts.length === 0 ? 'No runbook matches this yet.' : `No runbook covers ${parts.join(' or ')} yet.`;
}

/**
 * The service a runbook for an alert should be linked to: a dependency alert is about the
 * dependency and an edge alert about the callee (as on the incident's root cause), not about the
 * caller the alert is filed under.
 */
export function suggestForAlert(alert: Pick<AlertDto, 'entity' | 'service' | 'rule'>): RunbookSuggestion {
  const { entity } = alert;
  const service = entity.type === 'dependency' ? entity.dependency : entity.type === 'edge' ? entity.target : alert.service;
  return { service, ruleKind: alert.rule };
}

/** The service a runbook for an incident's root cause should be linked to: the service, or the far end of a dependency or call. */
export function suggestForRootCause(ref: CandidateRef): RunbookSuggestion {
  const service = ref.kind === 'service' ? ref.service : ref.target;
  return service ? { service } : {};
}

/** A stable text for "which root cause is this", to notice when the correlator changes its mind. */
export function rootCauseKey(ref: CandidateRef): string {
  return [ref.kind, ref.service ?? '', ref.source ?? '', ref.target ?? ''].join('\u0000');
}
