'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useId, useState } from 'react';
import { z } from 'zod';
import { formatDateTime } from '@/components/alerts/alert-model';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { WebhookDto } from '@/lib/schemas/notify';
import { OutboxList } from './outbox-list';
import { NEW_WEBHOOK, WEBHOOKS_KEY, WebhookForm, changedWebhookValues, type WebhookValues } from './webhook-form';

const COLUMNS = 8;

const TestResult = z.object({ ok: z.boolean(), status: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() });
type TestResult = z.infer<typeof TestResult>;

function describeTest(result: TestResult): string {
  const status = result.status === null ? 'no response' : `HTTP ${result.status}`;
  const took = `in ${Math.round(result.durationMs)} ms`;
  return result.ok ? `Test delivered: ${status} ${took}.` : `Test failed: ${status}${result.error ? ` — ${result.error}` : ''} (${took}).`;
}

/** Settings → Notifications: webhook destinations for alert events, and the outbox that delivers them. */
export function NotificationsPanel() {
  const queryClient = useQueryClient();
  const titleId = useId();
  const webhooks = useQuery({
    queryKey: WEBHOOKS_KEY,
    queryFn: ({ signal }) => apiFetch('/api/webhooks', z.array(WebhookDto), { signal }),
    // The outbox counts on each destination move as the sender works.
    refetchInterval: 10_000,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, TestResult>>({});
  const refresh = () => void queryClient.invalidateQueries({ queryKey: WEBHOOKS_KEY });

  const create = useMutation({
    mutationFn: (input: WebhookValues) => apiFetch('/api/webhooks', WebhookDto, { method: 'POST', body: input }),
    onSuccess: (hook) => {
      setNotice(`Added “${hook.name}”${hook.enabled ? '' : ', disabled'}. Use Test to send it a sample notification.`);
      refresh();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: Partial<WebhookValues> }) => apiFetch(`/api/webhooks/${id}`, WebhookDto, { method: 'PATCH', body: change }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/webhooks/${id}`, z.object({ deleted: z.literal(true) }), { method: 'DELETE' }),
    onSuccess: (_, id) => {
      setEditingId((current) => (current === id ? null : current));
      refresh();
    },
    onError: (err) => setListError(err.message),
  });
  const test = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/webhooks/${id}/test`, TestResult, { method: 'POST' }),
    onSuccess: (result, id) => setTests((current) => ({ ...current, [id]: result })),
    onError: (err) => setListError(`Could not run the test: ${err.message}`),
  });

  async function saveEdit(hook: WebhookDto, values: WebhookValues) {
    const change = changedWebhookValues(hook, values);
    if (Object.keys(change).length > 0) await update.mutateAsync({ id: hook.id, change });
    setEditingId(null);
  }

  function confirmDelete(hook: WebhookDto) {
    setListError(null);
    if (window.confirm(`Delete the destination “${hook.name}”? Its pending notifications are dropped.`)) remove.mutate(hook.id);
  }

  return (
    <>
      <section className="card" aria-labelledby={titleId}>
        <h2 id={titleId}>Add a webhook destination</h2>
        <p className="muted">
          Faultline POSTs alert events to the URL as JSON (or as a Slack message). With a signing secret, each request carries an <code>X-Faultline-Signature</code>{' '}
          HMAC-SHA256 of its body.
        </p>
        <WebhookForm
          titleId={titleId}
          initial={NEW_WEBHOOK}
          submitLabel="Add destination"
          pendingLabel="Adding…"
          isPending={create.isPending}
          resetOnSuccess
          onSubmit={async (values) => {
            setNotice(null);
            await create.mutateAsync(values);
          }}
        />
        <SuccessMessage>{notice}</SuccessMessage>
      </section>

      <section className="card" aria-labelledby="webhook-list-title">
        <h2 id="webhook-list-title">Destinations</h2>
        <QueryFeedback isPending={webhooks.isPending} error={webhooks.data ? null : webhooks.error} what="webhook destinations" />
        <ErrorMessage>{listError}</ErrorMessage>
        {webhooks.data && webhooks.data.length === 0 && <p className="muted">No destinations yet: alerts are recorded and shown here, but nobody is notified.</p>}
        {webhooks.data && webhooks.data.length > 0 && (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">URL</th>
                  <th scope="col">Format</th>
                  <th scope="col">Events, from severity</th>
                  <th scope="col">Signing</th>
                  <th scope="col">State</th>
                  <th scope="col">Outbox</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {webhooks.data.map((hook) => {
                  const isBusy = (remove.isPending && remove.variables === hook.id) || (test.isPending && test.variables === hook.id);
                  const result = tests[hook.id];
                  return (
                    <Fragment key={hook.id}>
                      <tr>
                        <td>{hook.name}</td>
                        <td className="probe-url">
                          <code>{hook.url}</code>
                        </td>
                        <td>{hook.format}</td>
                        <td>
                          {hook.events.join(', ')}
                          <span className="muted"> · {hook.minSeverity} and up</span>
                        </td>
                        <td>
                          <span className="badge">{hook.signed ? 'signed' : 'unsigned'}</span>
                        </td>
                        <td>
                          <span className="badge">{hook.enabled ? 'enabled' : 'disabled'}</span>
                        </td>
                        <td>
                          <div className="webhook-outbox">
                            <span className="nowrap">
                              {hook.pending} pending · {hook.dead} dead · {hook.delivered} delivered
                            </span>
                            {hook.lastDeliveredAt && <span className="muted">last delivered {formatDateTime(hook.lastDeliveredAt)}</span>}
                            {hook.lastError && <span className="probe-message">last error: {hook.lastError}</span>}
                          </div>
                        </td>
                        <td>
                          <div className="row-actions">
                            <button type="button" aria-expanded={editingId === hook.id} onClick={() => setEditingId(editingId === hook.id ? null : hook.id)} aria-label={`Edit ${hook.name}`}>
                              Edit
                            </button>
                            <button type="button" disabled={isBusy} onClick={() => test.mutate(hook.id)} aria-label={`Test ${hook.name}`}>
                              {test.isPending && test.variables === hook.id ? 'Testing…' : 'Test'}
                            </button>
                            <button type="button" className="danger" disabled={isBusy} onClick={() => confirmDelete(hook)} aria-label={`Delete ${hook.name}`}>
                              Delete
                            </button>
                          </div>
                          {result && (
                            <p className={`webhook-test ${result.ok ? 'is-ok' : 'is-failed'}`} role="status">
                              {describeTest(result)}
                            </p>
                          )}
                        </td>
                      </tr>
                      {editingId === hook.id && (
                        <tr className="probe-edit-row">
                          <td colSpan={COLUMNS}>
                            <EditWebhook hook={hook} isPending={update.isPending} onSave={(values) => saveEdit(hook, values)} onCancel={() => setEditingId(null)} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <OutboxList destinations={webhooks.data ?? []} />
    </>
  );
}

function EditWebhook({ hook, isPending, onSave, onCancel }: { hook: WebhookDto; isPending: boolean; onSave: (values: WebhookValues) => Promise<void>; onCancel: () => void }) {
  const titleId = useId();
  return (
    <div className="probe-edit">
      <h3 id={titleId}>Edit “{hook.name}”</h3>
      <WebhookForm titleId={titleId} initial={hook} submitLabel="Save changes" pendingLabel="Saving…" isPending={isPending} onSubmit={onSave} onCancel={onCancel} />
    </div>
  );
}
