'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useId, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryFeedback } from '@/components/ui/feedback';
import { ApiError, apiFetch } from '@/lib/http/api-client';
import { TraceDto, type SpanDto } from '@/lib/schemas/traces';
import { SERVICE_COLORS, buildWaterfall, eventOffsetMs, formatDuration, visibleRows, type Waterfall, type WaterfallRow } from '@/lib/traces/waterfall';
import { ServiceBadge, formatTimestamp } from './trace-parts';

const INDENT_PX = 14;
// Deeper levels stop indenting, so a pathological trace still leaves room for names.
const MAX_INDENT_LEVELS = 16;

const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

export function TraceWaterfall({ traceId }: { traceId: string }) {
  const trace = useQuery({
    queryKey: ['traces', 'trace', traceId],
    queryFn: ({ signal }) => apiFetch(`/api/traces/${traceId}`, TraceDto, { signal }),
    // A 404 is an answer, not a hiccup: asking again at once would only delay the message.
    retry: (failures, error) => !isNotFound(error) && failures < 1,
  });

  if (isNotFound(trace.error)) {
    return (
      <EmptyState title="Trace not found">
        <p>
          No spans of trace <code>{traceId}</code> are stored.
        </p>
        <p>
          It may not have arrived yet (exporters send spans in batches, every few seconds), or it is older than the retention period.
        </p>
        <p className="form-row">
          <button type="button" onClick={() => void trace.refetch()} disabled={trace.isFetching}>
            {trace.isFetching ? 'Checking…' : 'Check again'}
          </button>
          <Link href="/traces">Search traces</Link>
        </p>
      </EmptyState>
    );
  }
  if (!trace.data) return <QueryFeedback isPending={trace.isPending} error={trace.error} what="the trace" />;
  return <TraceView trace={trace.data} />;
}

function TraceView({ trace }: { trace: TraceDto }) {
  const model = useMemo(() => buildModel(trace), [trace]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const rows = visibleRows(model.rows, collapsed);

  function toggleCollapsed(key: string) {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }

  return (
    <>
      <TraceHeader traceId={trace.traceId} model={model} />
      <section className="card" aria-labelledby="waterfall-title">
        <div className="wf-toolbar">
          <h2 id="waterfall-title">Spans</h2>
          <p className="muted">Select a span for its attributes, events and links.</p>
          {model.rows.some((r) => r.hasChildren) && (
            <span className="wf-toolbar-actions">
              <button type="button" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
                Expand all
              </button>
              <button type="button" onClick={() => setCollapsed(new Set(model.rows.filter((r) => r.hasChildren).map((r) => r.key)))}>
                Collapse all
              </button>
            </span>
          )}
        </div>
        <div className="wf-axis-row" aria-hidden="true">
          <span className="wf-axis-title">Service · operation</span>
          <span className="wf-axis">
            {model.ticks.map((t) => (
              <span key={t.ms} className="wf-tick" style={{ left: `${t.fraction * 100}%` }} data-edge={t.fraction > 0.9 ? 'end' : t.fraction === 0 ? 'start' : undefined}>
                {t.label}
              </span>
            ))}
          </span>
        </div>
        <ol className="wf-rows" aria-label="Spans">
          {rows.map((row) => (
            <SpanRow
              key={row.key}
              row={row}
              isCollapsed={collapsed.has(row.key)}
              isSelected={selected === row.key}
              onToggle={() => toggleCollapsed(row.key)}
              onSelect={() => setSelected((prev) => (prev === row.key ? null : row.key))}
              traceSpanIds={model.spanIds}
            />
          ))}
        </ol>
      </section>
    </>
  );
}

interface Model extends Waterfall {
  spanIds: ReadonlySet<string>;
}

function buildModel(trace: TraceDto): Model {
  return { ...buildWaterfall(trace.spans), spanIds: new Set(trace.spans.map((s) => s.spanId)) };
}

function TraceHeader({ traceId, model }: { traceId: string; model: Model }) {
  const root = model.root;
  return (
    <section className="card" aria-labelledby="trace-title">
      <h2 id="trace-title" className="trace-title">
        {root ? (
          <>
            {root.name} <span className="muted">on {root.service}</span>
          </>
        ) : (
          <>
            {model.rows[0]?.span.name ?? 'No spans'} <span className="muted">(root span not received)</span>
          </>
        )}
      </h2>
      <dl className="trace-facts">
        <div>
          <dt>Trace ID</dt>
          <dd>
            <code>{traceId}</code>
          </dd>
        </div>
        <div>
          <dt>Start</dt>
          <dd>{model.startTime ? formatTimestamp(model.startTime) : '—'}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(model.durationMs)}</dd>
        </div>
        <div>
          <dt>Spans</dt>
          <dd>{model.spanCount}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd className={model.errorCount > 0 ? 'trace-bad' : undefined}>{model.errorCount}</dd>
        </div>
        <div>
          <dt>Depth</dt>
          <dd>{model.depth}</dd>
        </div>
      </dl>
      <ul className="trace-service-list" aria-label="Services in this trace">
        {model.services.map((s) => (
          <li key={s.name}>
            <ServiceBadge name={s.name} /> {s.spanCount === 1 ? '1 span' : `${s.spanCount} spans`}
            {s.errorCount > 0 && <span className="trace-bad">, {s.errorCount === 1 ? '1 error' : `${s.errorCount} errors`}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SpanRow({
  row,
  isCollapsed,
  isSelected,
  onToggle,
  onSelect,
  traceSpanIds,
}: {
  row: WaterfallRow;
  isCollapsed: boolean;
  isSelected: boolean;
  onToggle: () => void;
  onSelect: () => void;
  traceSpanIds: ReadonlySet<string>;
}) {
  const detailId = useId();
  const { span } = row;
  const indent = Math.min(row.depth, MAX_INDENT_LEVELS) * INDENT_PX;
  const color = SERVICE_COLORS[row.colorIndex] ?? SERVICE_COLORS[0];
  // The duration label sits after the bar; near the right edge it moves before the bar, or inside
  // the bar's end when the bar is too wide to leave room before it.
  const end = row.offset + row.width;
  const labelPlacement = end <= 0.75 ? 'after' : row.offset >= 0.15 ? 'before' : 'inside';
  const labelStyle: CSSProperties =
    labelPlacement === 'after' ? { left: `${end * 100}%` } : labelPlacement === 'before' ? { right: `${(1 - row.offset) * 100}%` } : { right: `${(1 - end) * 100}%` };

  return (
    <li className={`wf-row${isSelected ? ' is-selected' : ''}`}>
      {row.hasChildren && (
        <button type="button" className="wf-toggle" style={{ left: indent }} aria-expanded={!isCollapsed} aria-label={`Child spans of ${span.name}`} onClick={onToggle}>
          <span aria-hidden="true">{isCollapsed ? '▸' : '▾'}</span>
        </button>
      )}
      <button type="button" className="wf-span" aria-expanded={isSelected} aria-controls={isSelected ? detailId : undefined} onClick={onSelect}>
        <span className="wf-label" style={{ paddingLeft: indent + 22 }}>
          <span className="wf-service" style={{ borderColor: color }}>
            {span.service}
          </span>
          <span className="wf-name" title={span.name}>
            {span.name}
          </span>
          {row.isError && (
            <span className="wf-error-flag">
              <span aria-hidden="true">⚠</span> error
            </span>
          )}
          {row.hasMissingParent && (
            <span className="badge" title={`Parent span ${span.parentSpanId ?? ''} is not in this trace`}>
              missing parent
            </span>
          )}
        </span>
        <span className="wf-track">
          <span
            className={`wf-bar${row.isError ? ' is-error' : ''}`}
            style={{ left: `${row.offset * 100}%`, width: `${row.width * 100}%`, backgroundColor: color }}
            aria-hidden="true"
          />
          <span className={`wf-bar-label${labelPlacement === 'inside' ? ' is-inside' : ''}`} style={labelStyle}>
            {formatDuration(span.durationMs)}
          </span>
        </span>
      </button>
      {isSelected && <SpanDetail id={detailId} row={row} traceSpanIds={traceSpanIds} />}
    </li>
  );
}

function SpanDetail({ id, row, traceSpanIds }: { id: string; row: WaterfallRow; traceSpanIds: ReadonlySet<string> }) {
  const { span } = row;
  return (
    <div id={id} className="wf-detail" role="region" aria-label={`Span ${span.name}`}>
      <dl className="trace-facts">
        <Fact term="Span ID">
          <code>{span.spanId}</code>
        </Fact>
        <Fact term="Parent span ID">
          {span.parentSpanId === null ? (
            <span className="muted">none (root span)</span>
          ) : (
            <>
              <code>{span.parentSpanId}</code>
              {!traceSpanIds.has(span.parentSpanId) && <span className="muted"> (not received)</span>}
            </>
          )}
        </Fact>
        <Fact term="Kind">{span.kind}</Fact>
        <Fact term="Service">
          <ServiceBadge name={span.service} />
        </Fact>
        <Fact term="Start">
          {formatTimestamp(span.startTime)} <span className="muted">(+{formatDuration(row.startOffsetMs)} into the trace)</span>
        </Fact>
        <Fact term="Duration">{formatDuration(span.durationMs)}</Fact>
        <Fact term="Status">
          <span className={span.statusCode === 'error' ? 'trace-bad' : undefined}>
            {span.statusCode}
            {span.statusMessage ? `: ${span.statusMessage}` : ''}
          </span>
        </Fact>
        {span.scope.name && (
          <Fact term="Instrumentation">
            {span.scope.name}
            {span.scope.version ? ` ${span.scope.version}` : ''}
          </Fact>
        )}
      </dl>

      <h3>Attributes</h3>
      <AttributeTable label="Span attributes" attributes={span.attributes} />

      <h3>Events</h3>
      <SpanEvents span={span} />

      {span.links.length > 0 && (
        <>
          <h3>Links</h3>
          <ul className="wf-links" aria-label="Links">
            {span.links.map((link, i) => (
              <li key={`${link.traceId}-${link.spanId}-${i}`}>
                <Link href={`/traces/${link.traceId}`}>
                  Trace <code>{link.traceId}</code>
                </Link>{' '}
                span <code>{link.spanId}</code>
                {Object.keys(link.attributes).length > 0 && <AttributeTable label={`Attributes of link ${i + 1}`} attributes={link.attributes} />}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>Resource attributes</h3>
      <AttributeTable label="Resource attributes" attributes={span.resource} />
    </div>
  );
}

function SpanEvents({ span }: { span: SpanDto }) {
  if (span.events.length === 0) return <p className="muted">No events.</p>;
  return (
    <ol className="wf-events" aria-label="Events">
      {span.events.map((event, i) => {
        // Semantic conventions name exceptions this way; they are usually why someone opened the span.
        const isException = event.name === 'exception';
        const { 'exception.type': type, 'exception.message': message, ...rest } = event.attributes;
        const attributes = isException ? rest : event.attributes;
        return (
          <li key={`${event.timeUnixNano}-${i}`}>
            <div className="wf-event-head">
              <span className="muted">+{formatDuration(eventOffsetMs(span, event))}</span> <strong>{event.name}</strong>
            </div>
            {isException && (type !== undefined || message !== undefined) && (
              <p className="alert error wf-exception">
                <span aria-hidden="true">⚠ </span>
                {type !== undefined && <strong>{valueText(type)}</strong>}
                {type !== undefined && message !== undefined && ': '}
                {message !== undefined && valueText(message)}
              </p>
            )}
            {Object.keys(attributes).length > 0 && <AttributeTable label={`Attributes of event ${event.name}`} attributes={attributes} />}
          </li>
        );
      })}
    </ol>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

function AttributeTable({ label, attributes }: { label: string; attributes: Record<string, unknown> }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="wf-attributes" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([key, value]) => {
          const text = valueText(value);
          const firstLine = text.split('\n', 1)[0] ?? '';
          // Stack traces and other long values stay folded so the table remains scannable.
          const isLong = text.length > 200 || text.includes('\n');
          return (
            <tr key={key}>
              <th scope="row">
                <code>{key}</code>
              </th>
              <td>
                {isLong ? (
                  <details>
                    <summary>
                      <code>{firstLine.length > 120 ? `${firstLine.slice(0, 120)}…` : firstLine}</code>
                    </summary>
                    <pre>{text}</pre>
                  </details>
                ) : (
                  <code className="wf-value">{text}</code>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
