'use client';

import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { QueryFeedback } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { AuditEntryDto } from '@/lib/schemas/auth';

export function AuditPanel() {
  const entries = useQuery({
    queryKey: ['audit'],
    queryFn: ({ signal }) => apiFetch('/api/audit?limit=200', z.array(AuditEntryDto), { signal }),
  });
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p className="muted">Who did what, and when. The 200 most recent entries.</p>
      <QueryFeedback isPending={entries.isPending} error={entries.error} what="the audit log" />
      {entries.data && (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.data.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'}</td>
                <td>
                  <code>{e.details ? JSON.stringify(e.details) : ''}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
