import Link from 'next/link';
import type { IncidentDetailDto } from '@/lib/schemas/incidents';
import { CANDIDATE_KIND_LABELS, describeRef, failingTracesHref, formatConfidence, isAnalysisPending, traceServiceOf, type IncidentWindow } from './incident-model';
import { LinkedRunbooks } from './linked-runbooks';

/**
 * Where the failure most likely started, how sure the correlator is, and why. The runbooks show
 * while the analysis is still pending too (matched on the incident's alerts): that is when
 * responders look for them first.
 */
export function RootCauseCard({ incident, period, canEditRunbooks }: { incident: IncidentDetailDto; period: IncidentWindow; canEditRunbooks: boolean }) {
  const isPending = isAnalysisPending(incident);
  // One card in both states, with the runbooks in the same place: they stay mounted when the
  // analysis lands, so LinkedRunbooks notices the new root cause and asks for its matches at once.
  return (
    <section className={isPending ? 'card' : 'card root-cause'} aria-labelledby="root-cause-title">
      <h2 id="root-cause-title">Root cause</h2>
      {isPending ? (
        <p className="muted">The correlator is still weighing the evidence; this page refreshes on its own.</p>
      ) : (
        <RootCauseDetails root={incident.rootCause} period={period} />
      )}
      <LinkedRunbooks incidentId={incident.id} rootCause={isPending ? undefined : incident.rootCause} canEdit={canEditRunbooks} />
    </section>
  );
}

function RootCauseDetails({ root, period }: { root: IncidentDetailDto['rootCause']; period: IncidentWindow }) {
  const tracesHref = failingTracesHref(root, period);
  const traceService = traceServiceOf(root);
  return (
    <>
      <p className="root-cause-ref">
        <span className="badge">{CANDIDATE_KIND_LABELS[root.kind]}</span>
        <strong data-testid="root-cause">{describeRef(root)}</strong>
      </p>
      <p className="root-cause-confidence">
        <label htmlFor="root-cause-meter">Confidence</label>
        <meter id="root-cause-meter" min={0} max={1} value={root.confidence} low={0.34} high={0.67} optimum={1}>
          {formatConfidence(root.confidence)}
        </meter>
        <span>{formatConfidence(root.confidence)}</span>
      </p>
      <h3 className="alert-subtitle">Evidence</h3>
      {root.evidence.length === 0 ? (
        <p className="muted">No evidence recorded.</p>
      ) : (
        <ul className="evidence-list" aria-label="Evidence for the root cause">
          {root.evidence.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      <p className="root-cause-links">
        {tracesHref && traceService && (
          <Link href={tracesHref}>
            Failing traces<span className="sr-only"> of {traceService} in the incident&apos;s window</span>
          </Link>
        )}
        {root.kind === 'service' && root.service && <Link href={`/services/${encodeURIComponent(root.service)}`}>Service page: {root.service}</Link>}
      </p>
    </>
  );
}
