import type { CandidateRef } from '@/lib/schemas/incidents';
import { describeRef } from './incident-model';

/**
 * The runbooks for the root cause. Runbooks are not linked to services yet; this slot takes the
 * root cause now so that, once they are, only this component has to learn how to find them.
 */
export function LinkedRunbooks({ rootCause }: { rootCause: CandidateRef }) {
  return (
    <div className="linked-runbooks">
      <h3 className="alert-subtitle">Runbooks</h3>
      <p className="muted">No runbooks are linked to {describeRef(rootCause)} yet.</p>
    </div>
  );
}
