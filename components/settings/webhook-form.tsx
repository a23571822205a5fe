'use client';

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorMessage } from '@/components/ui/feedback';
import { FormActions } from '@/components/ui/form-actions';
import { noFormErrors, splitApiError, type FormErrors } from '@/components/ui/form-errors';
import { ApiError } from '@/lib/http/api-client';
import { SEVERITIES } from '@/lib/schemas/alerts';
import { NOTIFY_EVENTS, WEBHOOK_FORMATS, type WebhookDto } from '@/lib/schemas/notify';

export const WEBHOOKS_KEY = ['webhooks'];

type FieldName = 'name' | 'url' | 'format' | 'events' | 'minSeverity' | 'timeoutMs' | 'signingSecret' | 'enabled';
const FIELDS: readonly FieldName[] = ['name', 'url', 'format', 'events', 'minSeverity', 'timeoutMs', 'signingSecret', 'enabled'];
const isField = (name: string): name is FieldName => (FIELDS as readonly string[]).includes(name);

/** What the form sends; `signingSecret` undefined leaves the stored secret alone, null removes it. */
export interface WebhookValues {
  name: string;
  url: string;
  format: WebhookDto['format'];
  events: WebhookDto['events'];
  minSeverity: WebhookDto['minSeverity'];
  timeoutMs: number;
  enabled: boolean;
  signingSecret?: string | null;
}

export type WebhookInitial = Pick<WebhookDto, 'name' | 'url' | 'format' | 'events' | 'minSeverity' | 'timeoutMs' | 'enabled' | 'signed'>;

export const NEW_WEBHOOK: WebhookInitial = { name: '', url: '', format: 'json', events: [...NOTIFY_EVENTS], minSeverity: 'info', timeoutMs: 5000, enabled: true, signed: false };

function readForm(form: HTMLFormElement): WebhookValues {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const secret = String(data.get('signingSecret') ?? '');
  return {
    name: text('name'),
    url: text('url'),
    format: text('format') as WebhookValues['format'],
    events: data.getAll('events').map(String) as WebhookValues['events'],
    minSeverity: text('minSeverity') as WebhookValues['minSeverity'],
    timeoutMs: Number(text('timeoutMs')),
    enabled: data.has('enabled'),
    // The secret is never shown back: an empty box means "keep", the checkbox means "remove".
    signingSecret: data.has('removeSecret') ? null : secret === '' ? undefined : secret,
  };
}

/** Only what an edit changed, so the audit log records the change rather than the whole destination. */
export function changedWebhookValues(initial: WebhookInitial, next: WebhookValues): Partial<WebhookValues> {
  const change: Partial<WebhookValues> = {};
  if (next.name !== initial.name) change.name = next.name;
  if (next.url !== initial.url) change.url = next.url;
  if (next.format !== initial.format) change.format = next.format;
  if ([...next.events].sort().join() !== [...initial.events].sort().join()) change.events = next.events;
  if (next.minSeverity !== initial.minSeverity) change.minSeverity = next.minSeverity;
  if (next.timeoutMs !== initial.timeoutMs) change.timeoutMs = next.timeoutMs;
  if (next.enabled !== initial.enabled) change.enabled = next.enabled;
  if (next.signingSecret !== undefined) change.signingSecret = next.signingSecret;
  return change;
}

/** The add and edit form for a webhook destination; the API's messages land next to the fields they name. */
export function WebhookForm({
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
  initial: WebhookInitial;
  submitLabel: string;
  pendingLabel: string;
  isPending: boolean;
  resetOnSuccess?: boolean;
  onSubmit: (values: WebhookValues) => Promise<void>;
  onCancel?: () => void;
}) {
  const ids = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors<FieldName>>(noFormErrors<FieldName>);

  useEffect(() => {
    const first = FIELDS.find((f) => errors.fields[f]);
    const element = first ? formRef.current?.elements.namedItem(first) : null;
    // A group (the event checkboxes) comes back as a list: focus its first box.
    const target = element instanceof RadioNodeList ? element[0] : element;
    if (target instanceof HTMLElement) target.focus();
  }, [errors]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    try {
      await onSubmit(readForm(form));
      setErrors(noFormErrors<FieldName>());
      if (resetOnSuccess) form.reset();
    } catch (err) {
      setErrors(err instanceof ApiError ? splitApiError(err.message, isField) : { fields: {}, general: err instanceof Error ? err.message : String(err) });
    }
  }

  const errorId = (f: FieldName) => `${ids}-${f}-error`;
  const describe = (f: FieldName) => (errors.fields[f] ? { 'aria-invalid': true as const, 'aria-describedby': errorId(f) } : {});
  const fieldError = (f: FieldName) =>
    errors.fields[f] ? (
      <p className="field-error" id={errorId(f)}>
        {errors.fields[f]}
      </p>
    ) : null;
  const field = (name: FieldName, label: string, input: ReactNode) => (
    <div className="probe-field">
      <label>
        {label}
        {input}
      </label>
      {fieldError(name)}
    </div>
  );

  return (
    <form ref={formRef} className="probe-form" aria-labelledby={titleId} onSubmit={(e) => void handleSubmit(e)}>
      <div className="form-row">
        {field('name', 'Name', <input name="name" required maxLength={256} defaultValue={initial.name} placeholder="e.g. on-call Slack" {...describe('name')} />)}
        {field('url', 'URL', <input name="url" required inputMode="url" className="probe-url-input" defaultValue={initial.url} placeholder="https://hooks.slack.com/services/…" {...describe('url')} />)}
        {field(
          'format',
          'Format',
          <select name="format" defaultValue={initial.format} {...describe('format')}>
            {WEBHOOK_FORMATS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>,
        )}
        {field(
          'minSeverity',
          'Minimum severity',
          <select name="minSeverity" defaultValue={initial.minSeverity} {...describe('minSeverity')}>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>,
        )}
        {field('timeoutMs', 'Timeout (ms)', <input name="timeoutMs" type="number" required min={100} max={60000} defaultValue={initial.timeoutMs} {...describe('timeoutMs')} />)}
      </div>
      <div className="form-row">
        <div className="probe-field">
          <fieldset {...(errors.fields.events ? { 'aria-describedby': errorId('events') } : {})}>
            <legend className="webhook-legend">Events</legend>
            {NOTIFY_EVENTS.map((e) => (
              <label key={e}>
                <input type="checkbox" name="events" value={e} defaultChecked={initial.events.includes(e)} {...(errors.fields.events ? { 'aria-invalid': true } : {})} /> {e}
              </label>
            ))}
          </fieldset>
          {fieldError('events')}
        </div>
        <div className="probe-field">
          <label>
            Signing secret {initial.signed ? '(signed: leave empty to keep)' : '(optional)'}
            <input name="signingSecret" type="password" autoComplete="new-password" maxLength={256} {...describe('signingSecret')} />
          </label>
          {initial.signed && (
            <label className="webhook-inline">
              <input type="checkbox" name="removeSecret" /> Remove the secret (send unsigned)
            </label>
          )}
          {fieldError('signingSecret')}
        </div>
        <div className="probe-field">
          <label className="webhook-inline">
            <input type="checkbox" name="enabled" defaultChecked={initial.enabled} {...describe('enabled')} /> Enabled
          </label>
          {fieldError('enabled')}
        </div>
        <FormActions isPending={isPending} submitLabel={submitLabel} pendingLabel={pendingLabel} onCancel={onCancel} />
      </div>
      <ErrorMessage>{errors.general}</ErrorMessage>
    </form>
  );
}
