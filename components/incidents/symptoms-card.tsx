import Link from 'next/link';
import type { Symptom } from '@/lib/schemas/incidents';
import { groupSymptoms } from './incident-model';

/** Services that failed because of something else, grouped by what their failures follow, each saying why. */
export function SymptomsCard({ symptoms }: { symptoms: Symptom[] }) {
  const groups = groupSymptoms(symptoms);
  return (
    <section className="card" aria-labelledby="symptoms-title">
      <h2 id="symptoms-title">Symptoms</h2>
      {groups.length === 0 ? (
        <p className="muted">No service is explained as a symptom of another.</p>
      ) : (
        groups.map((group) => (
          <details key={group.label} className="symptom-group" open>
            <summary>
              {group.label} <span className="muted">({group.symptoms.length === 1 ? '1 service' : `${group.symptoms.length} services`})</span>
            </summary>
            <ul className="symptom-list">
              {group.symptoms.map((s) => (
                <li key={s.service}>
                  <Link href={`/services/${encodeURIComponent(s.service)}`}>{s.service}</Link>
                  <span className="muted"> — why a symptom: </span>
                  {s.reason}
                </li>
              ))}
            </ul>
          </details>
        ))
      )}
    </section>
  );
}
