import type { Candidate, CandidateRef } from '@/lib/schemas/incidents';
import { CANDIDATE_KIND_LABELS, describeRef } from './incident-model';

const sameRef = (a: CandidateRef, b: CandidateRef) => a.kind === b.kind && a.service === b.service && a.source === b.source && a.target === b.target;

/** The runners-up, in the correlator's order, each opening to its evidence: the root cause may be wrong. */
export function CandidatesCard({ candidates, rootCause }: { candidates: Candidate[]; rootCause: CandidateRef }) {
  const ranked = candidates.map((c, i) => ({ candidate: c, rank: i + 1 })).filter(({ candidate }) => !sameRef(candidate, rootCause));
  return (
    <section className="card" aria-labelledby="candidates-title">
      <h2 id="candidates-title">Other candidates</h2>
      {ranked.length === 0 ? (
        <p className="muted">No other place was considered.</p>
      ) : (
        <ol className="candidate-list">
          {ranked.map(({ candidate, rank }) => (
            <li key={`${candidate.kind}:${describeRef(candidate)}`}>
              <details>
                <summary>
                  <span className="candidate-rank">#{rank}</span> <strong>{describeRef(candidate)}</strong> <span className="muted">{CANDIDATE_KIND_LABELS[candidate.kind].toLowerCase()} · score {candidate.score}</span>
                </summary>
                <ul className="evidence-list">
                  {candidate.evidence.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
