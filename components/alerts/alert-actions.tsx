'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { ErrorMessage, SuccessMessage } from '@/components/ui/feedback';
import { useShortcutKeys } from '@/components/ui/use-shortcut-keys';
import { useShortcutsSetting } from '@/components/ui/use-shortcuts-setting';
import type { AlertActionOutcome, AlertDetailDto, AlertEventDto } from '@/lib/schemas/alerts';
import { acknowledgeAlert, addAlertNote, alertKey, invalidateAlerts, resolveAlert } from './alert-api';
import { describeOutcome, describeSilenceScope, formatDateTime, shortcutFor, silenceDraftFor, type AlertAction, type Shortcut } from './alert-model';
import { SilenceForm } from './silences-panel';
import { RespondNote } from './respond-note';
import { useRespondForm } from './use-respond-form';
import { ShortcutsHint } from '@/components/ui/shortcuts-hint';

/** Acknowledge, resolve, annotate and silence one alert, by button or by a single key. */

const ALERT_KEYS = [['a', 'acknowledge'], ['r', 'resolve'], ['n', 'note'], ['s', 'silence']] as const;
export function AlertActions({ alert }: { alert: AlertDetailDto }) {
  const ids = useId();
  const queryClient = useQueryClient();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const silenceRef = useRef<HTMLDivElement>(null);
  const { note, setNote, notice, setNotice, errors, setErrors, fail, answered } = useRespondForm();
  const [isSilencing, setIsSilencing] = useState(false);
  const [shortcutsOn, setShortcutsOn] = useShortcutsSetting();

  const updateAlert = (change: (old: AlertDetailDto) => AlertDetailDto) => {
    queryClient.setQueryData<AlertDetailDto>(alertKey(alert.id), (old) => (old ? change(old) : old));
    invalidateAlerts(queryClient);
  };
  const onOutcome = (action: AlertAction) => (outcome: AlertActionOutcome) => {
    answered(describeOutcome(outcome, action, Date.now()), { done: outcome.outcome === 'done' });
    updateAlert((old) => ({ ...old, ...outcome.alert }));
  };

  const acknowledge = useMutation({ mutationFn: () => acknowledgeAlert(alert.id, note.trim() || undefined), onSuccess: onOutcome('acknowledge'), onError: fail });
  const resolve = useMutation({ mutationFn: () => resolveAlert(alert.id, note.trim() || undefined), onSuccess: onOutcome('resolve'), onError: fail });
  const addNote = useMutation({
    mutationFn: () => addAlertNote(alert.id, note.trim()),
    onSuccess: (event: AlertEventDto) => {
      answered('Note added.', { done: true });
      updateAlert((old) => ({ ...old, history: [...old.history, event] }));
    },
    onError: fail,
  });
  const isBusy = acknowledge.isPending || resolve.isPending || addNote.isPending;
  const isFiring = alert.state === 'firing';
  const isResolved = alert.state === 'resolved';

  function run(shortcut: Shortcut) {
    if (shortcut === 'note') return noteRef.current?.focus();
    if (shortcut === 'silence') return openSilence();
    if (isBusy) return;
    // A key cannot be disabled like its button: say why nothing happens instead.
    if (shortcut === 'acknowledge' && !isFiring) return setNotice(alreadyNotice(alert));
    if (shortcut === 'resolve' && isResolved) return setNotice(alreadyNotice(alert));
    setNotice(null);
    (shortcut === 'acknowledge' ? acknowledge : resolve).mutate();
  }

  function submitNote() {
    if (note.trim() === '') {
      setErrors({ fields: { note: 'Write a note first.' }, general: null });
      noteRef.current?.focus();
      return;
    }
    addNote.mutate();
  }

  function openSilence() {
    if (isSilencing) silenceRef.current?.querySelector<HTMLElement>('[name="reason"]')?.focus();
    else setIsSilencing(true);
  }

  useShortcutKeys(shortcutsOn, shortcutFor, run);

  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Respond</h2>
      <RespondNote id={`${ids}-note`} value={note} onChange={setNote} error={errors.fields.note} rows={3} placeholder="What you know or are doing; sent with Acknowledge or Resolve, or added on its own." ref={noteRef} />
      <div className="row-actions alert-actions">
        <button type="button" className="primary" disabled={!isFiring || isBusy} onClick={() => run('acknowledge')} aria-keyshortcuts={shortcutsOn ? 'a' : undefined}>
          {acknowledge.isPending ? 'Acknowledging…' : 'Acknowledge'}
        </button>
        <button type="button" disabled={isResolved || isBusy} onClick={() => run('resolve')} aria-keyshortcuts={shortcutsOn ? 'r' : undefined}>
          {resolve.isPending ? 'Resolving…' : 'Resolve'}
        </button>
        <button type="button" disabled={isBusy} onClick={submitNote}>
          {addNote.isPending ? 'Adding…' : 'Add note'}
        </button>
        <button type="button" aria-expanded={isSilencing} onClick={() => (isSilencing ? setIsSilencing(false) : openSilence())} aria-keyshortcuts={shortcutsOn ? 's' : undefined}>
          Silence this
        </button>
      </div>
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage>{errors.general}</ErrorMessage>
      {isSilencing && (
        <div ref={silenceRef} className="alert-silence">
          <h3 id={`${ids}-silence`} className="alert-subtitle">
            Silence alerts like this one
          </h3>
          <SilenceForm
            titleId={`${ids}-silence`}
            initial={silenceDraftFor(alert)}
            focusReason
            onCancel={() => setIsSilencing(false)}
            onCreated={(s) => {
              setIsSilencing(false);
              setNotice(`Silenced ${describeSilenceScope(s)} until ${formatDateTime(s.endsAt)}.`);
            }}
          />
        </div>
      )}
      <ShortcutsHint isOn={shortcutsOn} onToggle={setShortcutsOn} keys={ALERT_KEYS} />
    </section>
  );
}

function alreadyNotice(alert: AlertDetailDto): string {
  const outcome = alert.state === 'resolved' ? { outcome: 'already_resolved' as const, by: alert.resolvedBy, at: alert.resolvedAt } : { outcome: 'already_acknowledged' as const, by: alert.acknowledgedBy, at: alert.acknowledgedAt };
  return describeOutcome(outcome, 'acknowledge', Date.now());
}
