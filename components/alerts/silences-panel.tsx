'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { noFormErrors, splitApiError, type FormErrors } from '@/components/ui/form-errors';
import { FormActions } from '@/components/ui/form-actions';
import { ApiError } from '@/lib/http/api-client';
import { RULE_KINDS, type SilenceDto, type SilenceInput } from '@/lib/schemas/alerts';
import { SILENCES_KEY, createSilence, endSilence, invalidateAlerts, useSilences } from './alert-api';
import { NEW_SILENCE, RULE_LABELS, describeSilenceScope, formatDateTime, formatShortTime, silenceStatus, type SilenceDraft, type SilenceStatus } from './alert-model';

type FieldName = 'rule' | 'service' | 'target' | 'durationMinutes' | 'reason';
const FIELDS: readonly FieldName[] = ['rule', 'service', 'target', 'durationMinutes', 'reason'];
const isField = (name: string): name is FieldName => (FIELDS as readonly string[]).includes(name);
const STATUS_ORDER: Record<SilenceStatus, number> = { active: 0, scheduled: 1, ended: 2, expired: 2 };

/** Silences in force, scheduled, and ended in the last day; responders add and end them here. */
export function SilencesPanel({ canAct }: { canAct: boolean }) {
  const queryClient = useQueryClient();
  const silences = useSilences();
  const [notice, setNotice] = useState<string | null>(null);
  const end = useMutation({
    mutationFn: (id: string) => endSilence(id),
    onSuccess: (silence) => {
      setNotice(`Ended the silence on ${describeSilenceScope(silence)}.`);
      void queryClient.invalidateQueries({ queryKey: SILENCES_KEY });
      invalidateAlerts(queryClient);
    },
  });

  const now = silences.dataUpdatedAt;
  const rows = [...(silences.data ?? [])].sort((a, b) => STATUS_ORDER[silenceStatus(a, now)] - STATUS_ORDER[silenceStatus(b, now)]);

  return (
    <section className="card" aria-labelledby="silences-title">
      <h2 id="silences-title">Silences</h2>
      <p className="muted">A silence holds back notifications for matching alerts; they are still recorded and listed, tagged “silenced”.</p>
      <QueryFeedback isPending={silences.isPending} error={silences.data ? null : silences.error} what="silences" />
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage>{end.error ? `Could not end the silence: ${end.error.message}` : null}</ErrorMessage>
      {silences.data && rows.length === 0 && <p className="muted">No silences in force, scheduled or ended in the last day.</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Matches</th>
                <th scope="col">Status</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
                {canAct && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <SilenceRow key={s.id} silence={s} now={now} canAct={canAct} isEnding={end.isPending && end.variables === s.id} onEnd={() => end.mutate(s.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canAct && <NewSilence onCreated={(s) => setNotice(`Silenced ${describeSilenceScope(s)} until ${formatDateTime(s.endsAt)}.`)} />}
    </section>
  );
}

function SilenceRow({ silence, now, canAct, isEnding, onEnd }: { silence: SilenceDto; now: number; canAct: boolean; isEnding: boolean; onEnd: () => void }) {
  const status = silenceStatus(silence, now);
  const scope = describeSilenceScope(silence);
  const time = (iso: string) => (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatShortTime(iso, now)}
    </time>
  );
  return (
    <tr>
      <td>{scope}</td>
      <td>
        <span className={`badge silence-${status}`}>{status}</span>
      </td>
      <td className="nowrap">{time(silence.startsAt)}</td>
      <td className="nowrap">{time(silence.endedAt ?? silence.endsAt)}</td>
      <td className="silence-reason">{silence.reason}</td>
      <td className="alert-entity">{silence.createdBy}</td>
      {canAct && (
        <td>
          {(status === 'active' || status === 'scheduled') && (
            <button type="button" className="danger" disabled={isEnding} onClick={onEnd} aria-label={`End silence on ${scope}`}>
              {isEnding ? 'Ending…' : 'End'}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

function NewSilence({ onCreated }: { onCreated: (silence: SilenceDto) => void }) {
  const titleId = useId();
  return (
    <>
      <h3 id={titleId} className="alert-subtitle">
        Add a silence
      </h3>
      <SilenceForm titleId={titleId} initial={NEW_SILENCE} onCreated={onCreated} />
    </>
  );
}

function readSilence(form: HTMLFormElement): SilenceInput {
  const data = new FormData(form);
  const text = (name: FieldName) => String(data.get(name) ?? '').trim();
  const optional = (name: FieldName) => text(name) || undefined;
  return {
    rule: optional('rule') as SilenceInput['rule'],
    service: optional('service'),
    target: optional('target'),
    durationMinutes: Number(text('durationMinutes')),
    reason: text('reason'),
  };
}

/** The silence form, empty on the Alerts page and prefilled by an alert's "Silence this". */
export function SilenceForm({
  titleId,
  initial,
  onCreated,
  onCancel,
  focusReason = false,
}: {
  titleId: string;
  initial: SilenceDraft;
  onCreated: (silence: SilenceDto) => void;
  onCancel?: () => void;
  /** Opened on purpose (a button or the "s" key): the reason is all that is left to write. */
  focusReason?: boolean;
}) {
  const ids = useId();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors<FieldName>>(noFormErrors<FieldName>);
  const create = useMutation({ mutationFn: createSilence });

  useEffect(() => {
    if (focusReason) formRef.current?.querySelector<HTMLElement>('[name="reason"]')?.focus();
  }, [focusReason]);
  useEffect(() => {
    const first = FIELDS.find((f) => errors.fields[f]);
    const element = first ? formRef.current?.elements.namedItem(first) : null;
    if (element instanceof HTMLElement) element.focus();
  }, [errors]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    try {
      const silence = await create.mutateAsync(readSilence(form));
      setErrors(noFormErrors<FieldName>());
      form.reset();
      void queryClient.invalidateQueries({ queryKey: SILENCES_KEY });
      invalidateAlerts(queryClient);
      onCreated(silence);
    } catch (err) {
      setErrors(err instanceof ApiError ? splitApiError(err.message, isField) : { fields: {}, general: err instanceof Error ? err.message : String(err) });
    }
  }

  const errorId = (f: FieldName) => `${ids}-${f}-error`;
  const describe = (f: FieldName) => (errors.fields[f] ? { 'aria-invalid': true as const, 'aria-describedby': errorId(f) } : {});
  const field = (name: FieldName, label: string, input: ReactNode) => (
    <div className="probe-field">
      <label>
        {label}
        {input}
      </label>
      {errors.fields[name] && (
        <p className="field-error" id={errorId(name)}>
          {errors.fields[name]}
        </p>
      )}
    </div>
  );

  return (
    <form ref={formRef} className="probe-form" aria-labelledby={titleId} onSubmit={(e) => void submit(e)}>
      <div className="form-row">
        {field(
          'rule',
          'Rule (optional)',
          <select name="rule" defaultValue={initial.rule} {...describe('rule')}>
            <option value="">Any rule</option>
            {RULE_KINDS.map((r) => (
              <option key={r} value={r}>
                {RULE_LABELS[r]}
              </option>
            ))}
          </select>,
        )}
        {field('service', 'Service', <input name="service" defaultValue={initial.service} maxLength={256} placeholder="e.g. checkout" {...describe('service')} />)}
        {field('target', 'Target (optional)', <input name="target" defaultValue={initial.target} maxLength={256} placeholder="callee or dependency" {...describe('target')} />)}
        {field('durationMinutes', 'Duration (minutes)', <input name="durationMinutes" type="number" required min={1} max={43200} defaultValue={initial.durationMinutes} {...describe('durationMinutes')} />)}
      </div>
      <div className="form-row">
        {field('reason', 'Reason', <input name="reason" required maxLength={500} className="silence-reason-input" defaultValue={initial.reason} placeholder="e.g. planned failover of payments" {...describe('reason')} />)}
        <FormActions isPending={create.isPending} submitLabel="Add silence" pendingLabel="Silencing…" onCancel={onCancel} />
      </div>
      <p className="muted silence-hint">Name a rule, a service, or both. A service matches alerts filed under it or pointing at it.</p>
      <ErrorMessage>{errors.general}</ErrorMessage>
    </form>
  );
}
