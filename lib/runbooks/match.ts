import { RULE_LABELS, type RuleKind } from '@/lib/schemas/alerts';
import type { RunbookMatchDto, RunbookSection } from '@/lib/schemas/runbooks';

// Which runbooks help with an alert or an incident, best first, and where to open each.
//
// A runbook linked to the very service (or dependency) in trouble beats one linked to a
// neighbour, which beats one that only covers the rule kind; among those, a runbook covering few
// kinds (a retry-storm runbook) beats one covering all (the general incident procedure).

/** What is failing: `primary` services/kinds are the alert's own or the incident's root cause. */
export interface MatchContext {
  primaryServices: string[];
  otherServices: string[];
  primaryKinds: RuleKind[];
  otherKinds: RuleKind[];
}

export interface MatchableRunbook {
  id: string;
  slug: string;
  title: string;
  ownerTeam: string;
  services: string[];
  ruleKinds: string[];
  sections: RunbookSection[];
}

// Words a heading uses when it is about a kind of alert, beyond the kind's own label.
const KIND_TERMS: Record<RuleKind, string[]> = {
  error_rate: ['error rate', 'error-rate', 'errors'],
  latency_p99: ['latency', 'p99', 'slow'],
  burn_rate: ['error budget', 'burn rate', 'burn'],
  probe_failing: ['probe', 'health check'],
  breaker_open: ['breaker', 'circuit'],
  retry_amplification: ['retry', 'retries'],
  queue_lag: ['queue', 'backlog', 'consumer lag'],
  traffic_drop: ['traffic', 'silence'],
};

const MITIGATION = /mitigat|first steps|immediate/i;

const mentions = (text: string, phrase: string) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(phrase)}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The section to open at: one naming the service in trouble, else one about the alert's kind
 * (its label, such as "### Retry amplification alert", beats a related word), else the
 * mitigation steps. Null when none fits: the top of the page is then as good as any.
 */
export function bestSection(sections: RunbookSection[], services: string[], kinds: RuleKind[]): RunbookSection | null {
  let best: RunbookSection | null = null;
  let bestScore = 0;
  for (const section of sections) {
    let score = 0;
    if (services.some((s) => mentions(section.text, s))) score = 10;
    kinds.forEach((kind, i) => {
      const weight = i === 0 ? 2 : 1; // the first kind is the alert's own or the root cause's
      if (mentions(section.text, RULE_LABELS[kind])) score = Math.max(score, 3 * weight);
      else if (KIND_TERMS[kind].some((term) => mentions(section.text, term))) score = Math.max(score, weight);
    });
    if (score === 0 && MITIGATION.test(section.text)) score = 0.5;
    if (score > bestScore) {
      best = section;
      bestScore = score;
    }
  }
  return best;
}

/** Scores and orders the runbooks that match at all; the rest are left out. */
export function rankRunbooks(runbooks: MatchableRunbook[], context: MatchContext): RunbookMatchDto[] {
  const matches: RunbookMatchDto[] = [];
  for (const runbook of runbooks) {
    const reasons: string[] = [];
    let score = 0;
    const primary = runbook.services.filter((s) => context.primaryServices.includes(s));
    const others = runbook.services.filter((s) => context.otherServices.includes(s) && !primary.includes(s));
    if (primary.length) {
      score += 4;
      reasons.push(`linked to ${primary.join(', ')}`);
    } else if (others.length) {
      score += 2;
      reasons.push(`linked to ${others.join(', ')}`);
    }
    const kinds = runbook.ruleKinds as RuleKind[];
    const primaryKinds = kinds.filter((k) => context.primaryKinds.includes(k));
    const otherKinds = kinds.filter((k) => context.otherKinds.includes(k) && !primaryKinds.includes(k));
    const specificity = 1 / Math.sqrt(Math.max(1, kinds.length));
    if (primaryKinds.length) {
      score += 2 * specificity;
      reasons.push(`covers ${primaryKinds.map((k) => RULE_LABELS[k]).join(', ')}`);
    } else if (otherKinds.length) {
      score += specificity;
      reasons.push(`covers ${otherKinds.map((k) => RULE_LABELS[k]).join(', ')}`);
    }
    if (score === 0) continue;
    const services = [...context.primaryServices, ...context.otherServices];
    const sectionKinds = [...context.primaryKinds, ...context.otherKinds].filter((k) => kinds.includes(k));
    matches.push({
      id: runbook.id,
      slug: runbook.slug,
      title: runbook.title,
      ownerTeam: runbook.ownerTeam,
      score: Math.round(score * 1000) / 1000,
      reasons,
      section: bestSection(runbook.sections, services, sectionKinds.length ? sectionKinds : context.primaryKinds),
    });
  }
  return matches.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title));
}
