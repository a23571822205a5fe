/** A form's submit button (saying when it is busy) and, when editing, a Cancel button. */
export function FormActions({ isPending, submitLabel, pendingLabel, onCancel }: { isPending: boolean; submitLabel: string; pendingLabel: string; onCancel?: () => void }) {
  return (
    <div className="form-actions">
      <button className="primary" type="submit" disabled={isPending}>
        {isPending ? pendingLabel : submitLabel}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
