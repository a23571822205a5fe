import Link from 'next/link';
import type { IncidentDetailDto } from '@/lib/schemas/incidents';
import { CANDIDATE_KIND_LABELS, describeRef, failingTracesHref, formatConfidence, isAnalysisPending, traceServiceOf, type IncidentWindow } from './incident-model';
import { LinkedRunbooks } from './linked-runbooks';

/** Where the failure most likely started, how sure the correlator is, and why. */
export function RootCauseCard({ incident, period, canEditRunbooks }: { incident: IncidentDetailDto; period: IncidentWindow; canEditRunbooks: boolean }) {
  const root = incident.rootCause;
  if (isAnalysisPending(incident)) {
    return (
      <section className="card" aria-labelledby="root-cause-title">
        <h2 id="root-cause-title">Root cause</h2>
        <p className="muted">The correlator is still weighing the evidence; this page refreshes on its own.</p>
      </section>
    );
  }
  const tracesHref = failingTracesHref(root, period);
  const traceService = traceServiceOf(root);
  return (
    <section className="card root-cause" aria-labelledby="root-cause-title">
      <h2 id="root-cause-title">Root cause</h2>
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
      <LinkedRunbooks incidentId={incident.id} rootCause={root} canEdit={canEditRunbooks} />
    </section>
  );
}
