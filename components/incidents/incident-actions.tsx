'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, type RefObject } from 'react';
import { ErrorMessage, SuccessMessage } from '@/components/ui/feedback';
import { useShortcutKeys } from '@/components/ui/use-shortcut-keys';
import { useShortcutsSetting } from '@/components/ui/use-shortcuts-setting';
import type { IncidentActionOutcome, IncidentDetailDto } from '@/lib/schemas/incidents';
import { acknowledgeIncident, incidentKey, invalidateIncidents, resolveIncident } from './incident-api';
import { alreadyDone, describeIncidentOutcome, incidentShortcutFor, type IncidentAction, type IncidentShortcut } from './incident-model';
import { RespondNote } from '@/components/alerts/respond-note';
import { useRespondForm } from '@/components/alerts/use-respond-form';
import { ShortcutsHint } from '@/components/ui/shortcuts-hint';

/** Acknowledge or resolve the incident with all its alerts, by button or by a single key; "n" jumps to the notes. */

const INCIDENT_KEYS = [['a', 'acknowledge'], ['r', 'resolve'], ['n', 'notes']] as const;
export function IncidentActions({ incident, notesRef }: { incident: IncidentDetailDto; notesRef: RefObject<HTMLTextAreaElement | null> }) {
  const ids = useId();
  const queryClient = useQueryClient();
  const { note, setNote, notice, setNotice, errors, fail, answered } = useRespondForm();
  const [shortcutsOn, setShortcutsOn] = useShortcutsSetting();

  const onOutcome = (action: IncidentAction) => (outcome: IncidentActionOutcome) => {
    answered(describeIncidentOutcome(outcome, action, Date.now()), { done: outcome.outcome === 'done' });
    queryClient.setQueryData<IncidentDetailDto>(incidentKey(incident.id), (old) => (old ? { ...old, ...outcome.incident } : old));
    invalidateIncidents(queryClient);
  };

  const acknowledge = useMutation({ mutationFn: () => acknowledgeIncident(incident.id, note.trim() || undefined), onSuccess: onOutcome('acknowledge'), onError: fail });
  const resolve = useMutation({ mutationFn: () => resolveIncident(incident.id, note.trim() || undefined), onSuccess: onOutcome('resolve'), onError: fail });
  const isBusy = acknowledge.isPending || resolve.isPending;
  const isOpen = incident.status === 'open';
  const isResolved = incident.status === 'resolved';

  function run(shortcut: IncidentShortcut) {
    if (shortcut === 'notes') return notesRef.current?.focus();
    if (isBusy) return;
    // A key cannot be disabled like its button: say why nothing happens instead.
    if ((shortcut === 'acknowledge' && !isOpen) || (shortcut === 'resolve' && isResolved)) return setNotice(alreadyDone(incident, Date.now()));
    setNotice(null);
    (shortcut === 'acknowledge' ? acknowledge : resolve).mutate();
  }

  useShortcutKeys(shortcutsOn, incidentShortcutFor, run);

  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Respond</h2>
      <RespondNote id={`${ids}-note`} value={note} onChange={setNote} error={errors.fields.note} rows={2} placeholder="Optional: what you know or are doing; recorded with Acknowledge all or Resolve, on the incident and each of its alerts." />
      <div className="row-actions alert-actions">
        <button type="button" className="primary" disabled={!isOpen || isBusy} onClick={() => run('acknowledge')} aria-keyshortcuts={shortcutsOn ? 'a' : undefined}>
          {acknowledge.isPending ? 'Acknowledging…' : 'Acknowledge all'}
        </button>
        <button type="button" disabled={isResolved || isBusy} onClick={() => run('resolve')} aria-keyshortcuts={shortcutsOn ? 'r' : undefined}>
          {resolve.isPending ? 'Resolving…' : 'Resolve'}
        </button>
      </div>
      <p className="muted alert-hint">Acknowledge all acknowledges the incident and each of its firing alerts; Resolve resolves it and every alert still open.</p>
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage>{errors.general}</ErrorMessage>
      <ShortcutsHint isOn={shortcutsOn} onToggle={setShortcutsOn} keys={INCIDENT_KEYS} />
    </section>
  );
}
