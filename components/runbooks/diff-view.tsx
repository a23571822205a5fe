import type { DiffHunk, DiffLine, RunbookDiffDto } from '@/lib/schemas/runbooks';
import { CHANGE_FIELD_LABELS, describeDiffSummary, describeFieldValue, hasDifferences, hunkHeader } from './runbook-model';

const LINE_LABELS: Record<DiffLine['type'], string> = { added: 'added', removed: 'removed', context: 'unchanged' };
const LINE_MARKERS: Record<DiffLine['type'], string> = { added: '+', removed: '−', context: ' ' };

/**
 * What differs between two versions of a runbook: changed fields (from → to), then the body as a
 * unified diff. Added and removed lines are coloured and also say so in words for screen readers.
 */
export function DiffView({ diff, label, fromLabel = 'Before', toLabel = 'After' }: { diff: RunbookDiffDto; label: string; fromLabel?: string; toLabel?: string }) {
  if (!hasDifferences(diff)) return <p className="muted diff-none">No differences</p>;
  return (
    <div className="diff-view">
      <p className="muted diff-summary">{describeDiffSummary(diff)}</p>
      {diff.fields.length > 0 && (
        <div className="table-scroll">
          <table className="diff-fields">
            <caption className="sr-only">{`${label}: changed fields`}</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">{fromLabel}</th>
                <th scope="col">{toLabel}</th>
              </tr>
            </thead>
            <tbody>
              {diff.fields.map((change) => (
                <tr key={change.field}>
                  <th scope="row">{CHANGE_FIELD_LABELS[change.field]}</th>
                  <td className="diff-field-from">
                    <del>{describeFieldValue(change.field, change.from)}</del>
                  </td>
                  <td className="diff-field-to">
                    <ins>{describeFieldValue(change.field, change.to)}</ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {diff.body.length > 0 && (
        <div className="table-scroll">
          <table className="diff-table">
            <caption className="sr-only">{`${label}: body, ${diff.added} lines added and ${diff.removed} removed`}</caption>
            <thead className="sr-only">
              <tr>
                <th scope="col">Old line</th>
                <th scope="col">New line</th>
                <th scope="col">Change</th>
                <th scope="col">Text</th>
              </tr>
            </thead>
            {diff.body.map((hunk) => (
              <Hunk key={`${hunk.oldStart}:${hunk.newStart}`} hunk={hunk} />
            ))}
          </table>
        </div>
      )}
    </div>
  );
}

function Hunk({ hunk }: { hunk: DiffHunk }) {
  return (
    <tbody>
      <tr className="diff-hunk">
        <th scope="rowgroup" colSpan={4}>
          {hunkHeader(hunk)}
        </th>
      </tr>
      {hunk.lines.map((line, index) => (
        <tr key={index} className={`diff-line diff-${line.type}`}>
          <td className="diff-number">{line.oldLine ?? ''}</td>
          <td className="diff-number">{line.newLine ?? ''}</td>
          <td className="diff-marker">
            <span aria-hidden="true">{LINE_MARKERS[line.type]}</span>
            {line.type !== 'context' && <span className="sr-only">{LINE_LABELS[line.type]}</span>}
          </td>
          <td className="diff-text">
            <code>{line.text}</code>
          </td>
        </tr>
      ))}
    </tbody>
  );
}
