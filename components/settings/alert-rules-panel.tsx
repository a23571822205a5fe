'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { RULE_LABELS, formatDateTime } from '@/components/alerts/alert-model';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { ApiError, apiFetch } from '@/lib/http/api-client';
import { RULE_KINDS, RuleSetDto, SEVERITIES, type RuleConfig, type RuleKind, type Severity } from '@/lib/schemas/alerts';
import {
  RULE_DESCRIPTIONS,
  RULE_FIELDS,
  fieldPath,
  fromRulesForm,
  ruleFormFor,
  splitRuleErrors,
  toRulesForm,
  type RuleErrors,
  type RuleFormValues,
  type RulesForm,
} from './alert-rules-model';

const RULES_KEY = ['alert-rules'];
const NO_ERRORS: RuleErrors = { fields: {}, general: null };
const idFor = (base: string, path: string) => `${base}-${path.replace('.', '-')}`;

/** Settings → Alert rules: every built-in rule's switch, severity and thresholds, saved as one set. */
export function AlertRulesPanel() {
  const queryClient = useQueryClient();
  // No polling: a refresh must never overwrite what the admin is typing.
  const ruleSet = useQuery({ queryKey: RULES_KEY, queryFn: ({ signal }) => apiFetch('/api/alert-rules', RuleSetDto, { signal }) });
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section className="card" aria-labelledby="alert-rules-title">
      <h2 id="alert-rules-title">Alert rules</h2>
      <p className="muted">The detector evaluates these every 5 seconds; a saved change applies from its next evaluation. Durations are in seconds, rates in percent.</p>
      <QueryFeedback isPending={ruleSet.isPending} error={ruleSet.error} what="alert rules" />
      {ruleSet.data && <LastChanged ruleSet={ruleSet.data} />}
      <SuccessMessage>{notice}</SuccessMessage>
      {ruleSet.data && (
        // Keyed by the save time, so a save (here or elsewhere, on reload) starts the form from what is stored.
        <RulesFormView
          key={ruleSet.data.updatedAt ?? 'defaults'}
          ruleSet={ruleSet.data}
          onEdit={() => setNotice(null)}
          onSaved={(saved) => {
            queryClient.setQueryData(RULES_KEY, saved);
            setNotice('Saved. The detector uses the new settings from its next evaluation.');
          }}
        />
      )}
    </section>
  );
}

function LastChanged({ ruleSet }: { ruleSet: RuleSetDto }) {
  if (!ruleSet.updatedAt) return <p className="muted">Running the defaults: never changed.</p>;
  return (
    <p className="muted" data-testid="rules-last-changed">
      Last changed by {ruleSet.updatedBy ?? 'unknown'} at <time dateTime={ruleSet.updatedAt}>{formatDateTime(ruleSet.updatedAt)}</time>.
    </p>
  );
}

function RulesFormView({ ruleSet, onSaved, onEdit }: { ruleSet: RuleSetDto; onSaved: (saved: RuleSetDto) => void; onEdit: () => void }) {
  const ids = useId();
  const [form, setForm] = useState<RulesForm>(() => toRulesForm(ruleSet.rules));
  const [errors, setErrors] = useState<RuleErrors>(NO_ERRORS);
  const save = useMutation({ mutationFn: (body: unknown) => apiFetch('/api/alert-rules', RuleSetDto, { method: 'PUT', body }) });
  const inputId = (path: string) => idFor(ids, path);

  // Focus lands on the first field the server rejected, whose message is then read with it.
  useEffect(() => {
    const first = Object.keys(errors.fields)[0];
    if (first) document.getElementById(idFor(ids, first))?.focus();
  }, [errors, ids]);

  function change(kind: RuleKind, next: RuleFormValues) {
    onEdit();
    setForm((current) => ({ ...current, [kind]: next }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      const saved = await save.mutateAsync(fromRulesForm(form));
      setErrors(NO_ERRORS);
      onSaved(saved);
    } catch (err) {
      setErrors(err instanceof ApiError ? splitRuleErrors(err.message) : { fields: {}, general: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <form aria-labelledby="alert-rules-title" onSubmit={(e) => void submit(e)} noValidate>
      {RULE_KINDS.map((kind) => (
        <RuleFieldset
          key={kind}
          kind={kind}
          values={form[kind]}
          defaults={ruleSet.defaults}
          errors={errors.fields}
          inputId={inputId}
          onChange={(next) => change(kind, next)}
        />
      ))}
      <ErrorMessage>{errors.general}</ErrorMessage>
      {Object.keys(errors.fields).length > 0 && <ErrorMessage>Some settings were not accepted: see the messages next to them.</ErrorMessage>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save rules'}
        </button>
      </div>
    </form>
  );
}

function RuleFieldset({
  kind,
  values,
  defaults,
  errors,
  inputId,
  onChange,
}: {
  kind: RuleKind;
  values: RuleFormValues;
  defaults: RuleConfig;
  errors: Record<string, string>;
  inputId: (path: string) => string;
  onChange: (next: RuleFormValues) => void;
}) {
  const label = RULE_LABELS[kind];
  const described = (path: string, hintId?: string) => {
    const describedBy = [hintId, errors[path] ? `${inputId(path)}-error` : undefined].filter(Boolean).join(' ');
    return { 'aria-invalid': errors[path] ? (true as const) : undefined, 'aria-describedby': describedBy || undefined };
  };
  const error = (path: string) =>
    errors[path] ? (
      <p className="field-error" id={`${inputId(path)}-error`}>
        {errors[path]}
      </p>
    ) : null;
  const defaultsOf = ruleFormFor(kind, defaults);

  return (
    <fieldset className="rule-fieldset">
      <legend>{label}</legend>
      <p className="muted rule-description">{RULE_DESCRIPTIONS[kind]}</p>
      <div className="form-row">
        <div className="probe-field">
          <label className="rule-enabled">
            <input
              id={inputId(fieldPath(kind, 'enabled'))}
              type="checkbox"
              checked={values.enabled}
              onChange={(e) => onChange({ ...values, enabled: e.target.checked })}
              {...described(fieldPath(kind, 'enabled'))}
            />{' '}
            Enabled
          </label>
          {error(fieldPath(kind, 'enabled'))}
        </div>
        <div className="probe-field">
          <label>
            Severity
            <select
              id={inputId(fieldPath(kind, 'severity'))}
              value={values.severity}
              onChange={(e) => onChange({ ...values, severity: e.target.value as Severity })}
              {...described(fieldPath(kind, 'severity'))}
            >
              {SEVERITIES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          {error(fieldPath(kind, 'severity'))}
        </div>
        {RULE_FIELDS[kind].map((f) => {
          const path = fieldPath(kind, f.key);
          const hint = [f.hint, `default ${defaultsOf.values[f.key]}${f.suffix ? ` ${f.suffix}` : ''}`].filter(Boolean).join('; ');
          return (
            <div className="probe-field" key={f.key}>
              <label>
                {f.label}
                {f.suffix && ` (${f.suffix})`}
                <input
                  id={inputId(path)}
                  type="number"
                  step="any"
                  inputMode="decimal"
                  required
                  value={values.values[f.key] ?? ''}
                  onChange={(e) => onChange({ ...values, values: { ...values.values, [f.key]: e.target.value } })}
                  {...described(path, `${inputId(path)}-hint`)}
                />
              </label>
              <span className="muted rule-hint" id={`${inputId(path)}-hint`}>
                {hint}
              </span>
              {error(path)}
            </div>
          );
        })}
        <div className="form-actions">
          <button type="button" onClick={() => onChange(defaultsOf)} aria-label={`Reset ${label} to defaults`}>
            Reset to defaults
          </button>
        </div>
      </div>
    </fieldset>
  );
}
