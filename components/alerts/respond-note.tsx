import type { Ref } from 'react';

/** The optional note of a Respond card (alert or incident), with its validation message. */
export function RespondNote({ id, value, onChange, error, placeholder, rows, ref }: { id: string; value: string; onChange: (value: string) => void; error: string | undefined; placeholder: string; rows: number; ref?: Ref<HTMLTextAreaElement> }) {
  const errorId = `${id}-error`;
  return (
    <div className="alert-note">
      <label htmlFor={id}>Note</label>
      <textarea
        id={id}
        ref={ref}
        name="note"
        rows={rows}
        maxLength={2000}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
