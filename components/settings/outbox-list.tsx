'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { z } from 'zod';
import { formatAgo, formatDateTime } from '@/components/alerts/alert-model';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { NotificationDto, type WebhookDto } from '@/lib/schemas/notify';
import { WEBHOOKS_KEY } from './webhook-form';

const OUTBOX_KEY = ['notifications'];
const STATUSES = [
  { value: '', label: 'Any' },
  { value: 'pending', label: 'Pending' },
  { value: 'dead', label: 'Dead (gave up)' },
  { value: 'delivered', label: 'Delivered' },
] as const;
type StatusFilter = (typeof STATUSES)[number]['value'];
const LIMIT = 100;

/** The notification outbox, newest first: what was sent where, what is waiting, and what gave up (retry those). */
export function OutboxList({ destinations }: { destinations: readonly WebhookDto[] }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StatusFilter>('');
  const [destinationId, setDestinationId] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const params = new URLSearchParams({ limit: String(LIMIT) });
  if (status) params.set('status', status);
  if (destinationId) params.set('destinationId', destinationId);
  const path = `/api/notifications?${params}`;

  const outbox = useQuery({
    queryKey: [...OUTBOX_KEY, path],
    queryFn: ({ signal }) => apiFetch(path, z.array(NotificationDto), { signal }),
    refetchInterval: 10_000,
  });
  const retry = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/notifications/${id}/retry`, NotificationDto, { method: 'POST' }),
    onSuccess: (n) => {
      setNotice(`Queued “${n.summary}” for ${n.destination} again.`);
      void queryClient.invalidateQueries({ queryKey: OUTBOX_KEY });
      void queryClient.invalidateQueries({ queryKey: WEBHOOKS_KEY });
    },
    onError: () => setNotice(null),
  });
  const reference = outbox.dataUpdatedAt;

  return (
    <section className="card" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Outbox</h2>
      <p className="muted">Each alert event becomes one notification per matching destination. Failed deliveries are retried with backoff until they give up as dead.</p>
      <div className="form-row">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Destination
          <select value={destinationId} onChange={(e) => setDestinationId(e.target.value)}>
            <option value="">Any</option>
            {destinations.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryFeedback isPending={outbox.isPending} error={outbox.data ? null : outbox.error} what="notifications" />
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage>{retry.error ? `Could not retry: ${retry.error.message}` : null}</ErrorMessage>
      {outbox.data && outbox.data.length === 0 && <p className="muted">No notifications{status ? ` with status ${status}` : ''}.</p>}
      {outbox.data && outbox.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Destination</th>
                <th scope="col">Event</th>
                <th scope="col">Alert</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Last error</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outbox.data.map((n) => (
                <tr key={n.id}>
                  <td>{n.destination}</td>
                  <td>{n.event}</td>
                  <td>
                    <Link href={`/alerts/${n.alertId}`}>{n.summary}</Link>
                  </td>
                  <td>
                    <span className={`badge outbox-${n.status}`}>{n.status}</span>
                  </td>
                  <td>{n.attempts}</td>
                  <td className="nowrap">
                    {n.status === 'pending' ? (
                      <time dateTime={n.nextAttemptAt} title={formatDateTime(n.nextAttemptAt)}>
                        {Date.parse(n.nextAttemptAt) <= reference ? 'due now' : formatDateTime(n.nextAttemptAt)}
                      </time>
                    ) : n.deliveredAt ? (
                      <span className="muted" title={formatDateTime(n.deliveredAt)}>
                        delivered {formatAgo(n.deliveredAt, reference)}
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="probe-message">{n.lastError ?? <span className="muted">—</span>}</td>
                  <td>
                    {n.status === 'dead' && (
                      <button type="button" disabled={retry.isPending && retry.variables === n.id} onClick={() => retry.mutate(n.id)} aria-label={`Retry ${n.event} notification to ${n.destination}`}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {outbox.data && outbox.data.length >= LIMIT && <p className="muted">Showing the newest {LIMIT}; filter by status or destination to see others.</p>}
    </section>
  );
}
