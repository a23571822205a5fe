'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Fragment, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { z } from 'zod';
import { formatMs } from '@/components/graph/graph-model';
import { formatClock } from '@/components/services/service-model';
import { ProbeStatusBadge } from '@/components/services/status-badges';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { FormActions } from '@/components/ui/form-actions';
import { noFormErrors, splitApiError as splitFieldErrors, type FormErrors as FormErrorsOf } from '@/components/ui/form-errors';
import { ApiError, apiFetch } from '@/lib/http/api-client';
import { PROBE_METHODS, ProbeTargetDto, type CreateProbeTargetInput } from '@/lib/schemas/probes';

const TARGETS_KEY = ['probe-targets'];
// Matches the prober's shortest interval, so a new target's first result shows up promptly.
const REFRESH_MS = 5_000;
const COLUMNS = 11;

type FieldName = keyof CreateProbeTargetInput;
const FIELDS: readonly FieldName[] = ['name', 'service', 'url', 'method', 'intervalSeconds', 'timeoutMs', 'expectedStatus', 'parseHealthJson', 'paused'];
const isField = (name: string): name is FieldName => (FIELDS as readonly string[]).includes(name);

/** What the form holds; numbers left empty are omitted so the API's defaults apply. */
interface FormValues {
  name: string;
  service: string;
  url: string;
  method: string;
  intervalSeconds?: number;
  timeoutMs?: number;
  expectedStatus?: number;
  parseHealthJson: boolean;
  paused: boolean;
}
type Initial = Pick<ProbeTargetDto, FieldName>;

const NEW_TARGET: Initial = { name: '', service: '', url: '', method: 'GET', intervalSeconds: 30, timeoutMs: 5000, expectedStatus: 200, parseHealthJson: false, paused: false };

type FormErrors = FormErrorsOf<FieldName>;
const NO_ERRORS: FormErrors = noFormErrors<FieldName>();
const splitApiError = (message: string): FormErrors => splitFieldErrors(message, isField);

function readForm(form: HTMLFormElement): FormValues {
  const data = new FormData(form);
  const text = (name: FieldName) => String(data.get(name) ?? '').trim();
  const number = (name: FieldName) => (text(name) === '' ? undefined : Number(text(name)));
  return {
    name: text('name'),
    service: text('service'),
    url: text('url'),
    method: text('method'),
    intervalSeconds: number('intervalSeconds'),
    timeoutMs: number('timeoutMs'),
    expectedStatus: number('expectedStatus'),
    parseHealthJson: data.has('parseHealthJson'),
    paused: data.has('paused'),
  };
}

/** Only what the edit changed, so the audit log records the change rather than the whole target. */
function changedValues(initial: Initial, next: FormValues): Partial<Record<FieldName, unknown>> {
  const change: Partial<Record<FieldName, unknown>> = {};
  for (const f of FIELDS) if (next[f] !== undefined && next[f] !== initial[f]) change[f] = next[f];
  return change;
}

export function ProbeTargetsPanel() {
  const queryClient = useQueryClient();
  const targets = useQuery({
    queryKey: TARGETS_KEY,
    queryFn: ({ signal }) => apiFetch('/api/probe-targets', z.array(ProbeTargetDto), { signal }),
    refetchInterval: REFRESH_MS,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: TARGETS_KEY });

  const create = useMutation({
    mutationFn: (input: FormValues) => apiFetch('/api/probe-targets', ProbeTargetDto, { method: 'POST', body: input }),
    onSuccess: (target) => {
      setNotice(
        target.paused
          ? `Added “${target.name}”, paused: resume it to start checking.`
          : `Added “${target.name}”: the first check runs within ${target.intervalSeconds} s.`,
      );
      refresh();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: Partial<Record<FieldName, unknown>> }) =>
      apiFetch(`/api/probe-targets/${id}`, ProbeTargetDto, { method: 'PATCH', body: change }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/probe-targets/${id}`, z.object({ deleted: z.literal(true) }), { method: 'DELETE' }),
    onSuccess: (_, id) => {
      setEditingId((current) => (current === id ? null : current));
      refresh();
    },
    onError: (err) => setListError(err.message),
  });

  function togglePaused(target: ProbeTargetDto) {
    setListError(null);
    update.mutate({ id: target.id, change: { paused: !target.paused } }, { onError: (err) => setListError(err.message) });
  }

  async function saveEdit(target: ProbeTargetDto, values: FormValues) {
    const change = changedValues(target, values);
    if (Object.keys(change).length > 0) await update.mutateAsync({ id: target.id, change });
    setEditingId(null);
  }

  function confirmDelete(target: ProbeTargetDto) {
    setListError(null);
    if (window.confirm(`Delete the probe target “${target.name}”? Faultline stops checking it; results already recorded stay.`)) remove.mutate(target.id);
  }

  return (
    <>
      <section className="card" aria-labelledby="new-probe-target">
        <h2 id="new-probe-target">Add a probe target</h2>
        <p className="muted">
          Faultline requests the URL on every interval and records pass or fail for the service; with health+json it reads the{' '}
          <code>application/health+json</code> document, and each of its checks becomes a dependency result.
        </p>
        <ProbeTargetForm
          titleId="new-probe-target"
          initial={NEW_TARGET}
          submitLabel="Add target"
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

      <section className="card" aria-labelledby="probe-target-list">
        <h2 id="probe-target-list">Targets</h2>
        <p className="muted">Last results refresh every 5 seconds; each target&apos;s history is on its service&apos;s page.</p>
        <QueryFeedback isPending={targets.isPending} error={targets.error} what="probe targets" />
        <ErrorMessage>{listError}</ErrorMessage>
        {targets.data && targets.data.length === 0 && <p className="muted">No probe targets yet. Add one above and Faultline checks it on its interval.</p>}
        {targets.data && targets.data.length > 0 && (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Service</th>
                  <th scope="col">Method</th>
                  <th scope="col">URL</th>
                  <th scope="col">Interval</th>
                  <th scope="col">Timeout</th>
                  <th scope="col">Expected status</th>
                  <th scope="col">health+json</th>
                  <th scope="col">State</th>
                  <th scope="col">Last result</th>
                  <th scope="col">
                    <span className="muted">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {targets.data.map((target) => {
                  const isBusy = (update.isPending && update.variables?.id === target.id) || (remove.isPending && remove.variables === target.id);
                  return (
                    <Fragment key={target.id}>
                      <tr>
                        <td>{target.name}</td>
                        <td>
                          <Link href={`/services/${encodeURIComponent(target.service)}`}>{target.service}</Link>
                        </td>
                        <td>{target.method}</td>
                        <td className="probe-url">
                          <code>{target.url}</code>
                        </td>
                        <td className="nowrap">{target.intervalSeconds} s</td>
                        <td className="nowrap">{target.timeoutMs} ms</td>
                        <td>{target.expectedStatus}</td>
                        <td>{target.parseHealthJson ? 'yes' : 'no'}</td>
                        <td>
                          <span className="badge">{target.paused ? 'paused' : 'active'}</span>
                        </td>
                        <td>
                          <LastResult target={target} reference={targets.dataUpdatedAt} />
                        </td>
                        <td>
                          <div className="row-actions">
                            <button
                              type="button"
                              aria-expanded={editingId === target.id}
                              onClick={() => setEditingId(editingId === target.id ? null : target.id)}
                              aria-label={`Edit ${target.name}`}
                            >
                              Edit
                            </button>
                            <button type="button" disabled={isBusy} onClick={() => togglePaused(target)} aria-label={`${target.paused ? 'Resume' : 'Pause'} ${target.name}`}>
                              {target.paused ? 'Resume' : 'Pause'}
                            </button>
                            <button type="button" className="danger" disabled={isBusy} onClick={() => confirmDelete(target)} aria-label={`Delete ${target.name}`}>
                              Delete
                            </button>
                          </div>
                        </td>
                      </tr>
                      {editingId === target.id && (
                        <tr className="probe-edit-row">
                          <td colSpan={COLUMNS}>
                            <EditTarget target={target} isPending={update.isPending} onSave={(values) => saveEdit(target, values)} onCancel={() => setEditingId(null)} />
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
    </>
  );
}

function LastResult({ target, reference }: { target: ProbeTargetDto; reference: number }) {
  const last = target.lastResult;
  if (!last) return <span className="muted">{target.paused ? 'never checked' : 'waiting for the first check…'}</span>;
  return (
    <div className="probe-last">
      <span>
        <ProbeStatusBadge status={last.status} testId="probe-last-status" />
        <span className="muted nowrap">
          {formatClock(last.checkedAt, reference)}
          {last.latencyMs !== null && ` · ${formatMs(last.latencyMs)}`}
        </span>
      </span>
      {last.message && <span className="muted probe-message">{last.message}</span>}
    </div>
  );
}

function EditTarget({ target, isPending, onSave, onCancel }: { target: ProbeTargetDto; isPending: boolean; onSave: (values: FormValues) => Promise<void>; onCancel: () => void }) {
  const titleId = useId();
  return (
    <div className="probe-edit">
      <h3 id={titleId}>Edit “{target.name}”</h3>
      <ProbeTargetForm titleId={titleId} initial={target} submitLabel="Save changes" pendingLabel="Saving…" isPending={isPending} onSubmit={onSave} onCancel={onCancel} />
    </div>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      {message}
    </p>
  );
}

/** The add and edit form; the API's validation messages land next to the fields they name. */
function ProbeTargetForm({
  titleId,
  initial,
  submitLabel,
  pendingLabel,
  isPending,
  resetOnSuccess = false,
  onSubmit,
  onCancel,
}: {
  titleId: string;
  initial: Initial;
  submitLabel: string;
  pendingLabel: string;
  isPending: boolean;
  resetOnSuccess?: boolean;
  /** Resolves once saved; a rejection's message is shown on the form. */
  onSubmit: (values: FormValues) => Promise<void>;
  onCancel?: () => void;
}) {
  const ids = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  // Focus lands on the first field the server rejected, whose message is then read with it.
  useEffect(() => {
    const first = FIELDS.find((f) => errors.fields[f]);
    const element = first ? formRef.current?.elements.namedItem(first) : null;
    if (element instanceof HTMLElement) element.focus();
  }, [errors]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    try {
      await onSubmit(readForm(form));
      setErrors(NO_ERRORS);
      if (resetOnSuccess) form.reset();
    } catch (err) {
      setErrors(err instanceof ApiError ? splitApiError(err.message) : { fields: {}, general: err instanceof Error ? err.message : String(err) });
    }
  }

  const errorId = (field: FieldName) => `${ids}-${field}-error`;
  const describe = (field: FieldName) =>
    errors.fields[field] ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) } : {};
  const field = (name: FieldName, label: string, input: ReactNode) => (
    <div className="probe-field">
      <label>
        {label}
        {input}
      </label>
      <FieldError id={errorId(name)} message={errors.fields[name]} />
    </div>
  );

  return (
    <form ref={formRef} className="probe-form" aria-labelledby={titleId} onSubmit={(e) => void handleSubmit(e)}>
      <div className="form-row">
        {field('name', 'Name', <input name="name" required maxLength={100} defaultValue={initial.name} placeholder="e.g. checkout-ready" {...describe('name')} />)}
        {field('service', 'Service', <input name="service" required maxLength={256} defaultValue={initial.service} placeholder="e.g. checkout" {...describe('service')} />)}
        {field(
          'url',
          'URL',
          // Plain text rather than type="url": the server's message explains what it accepts.
          <input name="url" required inputMode="url" className="probe-url-input" defaultValue={initial.url} placeholder="https://checkout.internal/health/ready" {...describe('url')} />,
        )}
        {field(
          'method',
          'Method',
          <select name="method" defaultValue={initial.method} {...describe('method')}>
            {PROBE_METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>,
        )}
      </div>
      <div className="form-row">
        {field('intervalSeconds', 'Interval (seconds)', <input name="intervalSeconds" type="number" min={5} max={3600} defaultValue={initial.intervalSeconds} {...describe('intervalSeconds')} />)}
        {field('timeoutMs', 'Timeout (ms)', <input name="timeoutMs" type="number" min={100} max={60000} defaultValue={initial.timeoutMs} {...describe('timeoutMs')} />)}
        {field('expectedStatus', 'Expected status', <input name="expectedStatus" type="number" min={100} max={599} defaultValue={initial.expectedStatus} {...describe('expectedStatus')} />)}
        <fieldset>
          <legend className="sr-only">Options</legend>
          <label>
            <input type="checkbox" name="parseHealthJson" defaultChecked={initial.parseHealthJson} {...describe('parseHealthJson')} /> Parse health+json
          </label>
          <label>
            <input type="checkbox" name="paused" defaultChecked={initial.paused} {...describe('paused')} /> Paused
          </label>
        </fieldset>
        <FormActions isPending={isPending} submitLabel={submitLabel} pendingLabel={pendingLabel} onCancel={onCancel} />
      </div>
      <FieldError id={errorId('parseHealthJson')} message={errors.fields.parseHealthJson} />
      <FieldError id={errorId('paused')} message={errors.fields.paused} />
      <ErrorMessage>{errors.general}</ErrorMessage>
    </form>
  );
}
