import { useState } from 'react';
import { noFormErrors, splitApiError, type FormErrors } from '@/components/ui/form-errors';
import { ApiError } from '@/lib/http/api-client';

type NoteErrors = FormErrors<'note'>;
const isNoteField = (name: string): name is 'note' => name === 'note';

/** The note, the last answer and the errors of a Respond card (alert or incident). */
export function useRespondForm() {
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [errors, setErrors] = useState<NoteErrors>(noFormErrors<'note'>);
  return {
    note,
    setNote,
    notice,
    setNotice,
    errors,
    setErrors,
    /** A refused action: the server's message at the note field, or above the buttons. */
    fail(err: Error) {
      setNotice(null);
      setErrors(err instanceof ApiError ? splitApiError(err.message, isNoteField) : { fields: {}, general: err.message });
    },
    /** "Already done by someone else" is an answer, not a failure: the note stays for another try. */
    answered(message: string, { done }: { done: boolean }) {
      setErrors(noFormErrors<'note'>());
      setNotice(message);
      if (done) setNote('');
    },
  };
}
