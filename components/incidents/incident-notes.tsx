'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type RefObject } from 'react';
import { ErrorMessage, SuccessMessage } from '@/components/ui/feedback';
import type { IncidentDetailDto } from '@/lib/schemas/incidents';
import { incidentKey, invalidateIncidents, saveIncidentNotes } from './incident-api';
import { describeNotesUpdate } from './incident-model';

const MAX_NOTES = 100_000;

/**
 * The incident's notes / postmortem, in markdown. Shown as plain text for now: a sanitising
 * markdown renderer comes with runbooks, and notes are never injected as HTML.
 */
export function IncidentNotes({ incident, canEdit, reference, notesRef }: { incident: IncidentDetailDto; canEdit: boolean; reference: number; notesRef: RefObject<HTMLTextAreaElement | null> }) {
  const ids = useId();
  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Notes and postmortem</h2>
      <p className="muted" data-testid="notes-updated">
        {describeNotesUpdate(incident, reference)}
      </p>
      {incident.notes ? (
        // Scrollable when long, so it takes focus: keyboard users can scroll it too.
        <div className="incident-notes-text" tabIndex={0} role="region" aria-label="Saved notes">
          {incident.notes}
        </div>
      ) : (
        <p className="muted">Nothing written yet.</p>
      )}
      {canEdit && <NotesEditor incident={incident} notesRef={notesRef} />}
    </section>
  );
}

function NotesEditor({ incident, notesRef }: { incident: IncidentDetailDto; notesRef: RefObject<HTMLTextAreaElement | null> }) {
  const ids = useId();
  const queryClient = useQueryClient();
  // `base` is the saved text the draft started from: while the draft is untouched it follows what others save.
  const [base, setBase] = useState(incident.notes);
  const [draft, setDraft] = useState(incident.notes);
  const [notice, setNotice] = useState<string | null>(null);
  if (incident.notes !== base && draft === base) {
    setBase(incident.notes);
    setDraft(incident.notes);
  }
  const isChangedElsewhere = incident.notes !== base;
  const isDirty = draft !== base;

  const save = useMutation({
    mutationFn: () => saveIncidentNotes(incident.id, draft),
    onSuccess: (saved) => {
      setBase(saved.notes);
      setDraft(saved.notes);
      setNotice('Notes saved.');
      queryClient.setQueryData<IncidentDetailDto>(incidentKey(incident.id), saved);
      invalidateIncidents(queryClient);
    },
    onError: () => setNotice(null),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form className="incident-notes-form" aria-labelledby={`${ids}-label`} onSubmit={submit}>
      <label id={`${ids}-label`} htmlFor={`${ids}-notes`}>
        Edit notes (markdown)
      </label>
      <textarea
        id={`${ids}-notes`}
        ref={notesRef}
        name="notes"
        rows={10}
        maxLength={MAX_NOTES}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setNotice(null);
        }}
        placeholder={'## Summary\n\n## Timeline\n\n## Root cause\n\n## Follow-ups'}
        aria-describedby={isChangedElsewhere ? `${ids}-conflict` : undefined}
      />
      {isChangedElsewhere && (
        <p className="field-error" id={`${ids}-conflict`}>
          Someone else saved these notes while you were editing; saving replaces their version with yours (the audit log keeps both).
        </p>
      )}
      <div className="form-actions">
        <button className="primary" type="submit" disabled={save.isPending || (!isDirty && !isChangedElsewhere)}>
          {save.isPending ? 'Saving…' : 'Save notes'}
        </button>
        {isDirty && (
          <button
            type="button"
            onClick={() => {
              setBase(incident.notes);
              setDraft(incident.notes);
            }}
          >
            Discard changes
          </button>
        )}
      </div>
      <SuccessMessage>{notice}</SuccessMessage>
      <ErrorMessage>{save.error ? `Could not save the notes: ${save.error.message}` : null}</ErrorMessage>
    </form>
  );
}
