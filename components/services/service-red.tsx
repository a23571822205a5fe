'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactElement } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { buildRedChart, formatMs, formatPercent, formatRps, type RedChart } from '@/components/graph/graph-model';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryFeedback } from '@/components/ui/feedback';
import { apiFetch } from '@/lib/http/api-client';
import { ServiceMetrics } from '@/lib/schemas/graph';
import { rangeStart } from './service-api';
import { TIME_RANGES, describeTimeRange, formatClock, type TimeRange } from './service-model';

const REFRESH_MS = 10_000;
const PLOT_HEIGHT = 160;
const TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)' };
/** Percentiles differ by dash as well as colour, for readers who cannot tell the colours apart. */
const PERCENTILES = [
  { key: 'p50', color: 'var(--accent)', dash: undefined },
  { key: 'p95', color: 'var(--warn)', dash: '6 3' },
  { key: 'p99', color: 'var(--bad)', dash: '2 2' },
] as const;

/** RED per minute and the service's callers and callees; one request shared by the charts and the edge tables. */
export function useServiceMetrics(service: string, range: TimeRange) {
  return useQuery({
    queryKey: ['services', service, 'metrics', range],
    queryFn: ({ signal }) =>
      apiFetch(`/api/services/${encodeURIComponent(service)}/metrics?${new URLSearchParams({ from: rangeStart(TIME_RANGES[range]) })}`, ServiceMetrics, { signal }),
    refetchInterval: REFRESH_MS,
  });
}

/** "Requests, errors and latency": rate, error rate and p50/p95/p99 per minute across the range. */
export function ServiceRed({ service, range }: { service: string; range: TimeRange }) {
  const metrics = useServiceMetrics(service, range);
  const chart = useMemo(() => (metrics.data ? buildRedChart(metrics.data) : null), [metrics.data]);

  return (
    <section className="card" aria-labelledby="red-title">
      <h2 id="red-title">Requests, errors and latency</h2>
      <QueryFeedback isPending={metrics.isPending} error={metrics.error} what="request metrics" />
      {metrics.data && !chart && (
        <EmptyState title="No requests in this range">
          <p>
            <strong>{service}</strong> served no traced requests in {describeTimeRange(range)}. Rate, errors and latency come from its SERVER and CONSUMER spans:
            point its OpenTelemetry exporter at <code>/v1/traces</code> with an ingest API key, or pick a longer range.
          </p>
        </EmptyState>
      )}
      {chart && <RedCharts chart={chart} range={range} />}
    </section>
  );
}

function RedCharts({ chart, range }: { chart: RedChart; range: TimeRange }) {
  const clock = (t: number) => formatClock(t, chart.to);
  const dots = chart.points.length <= 30;
  const axis = (
    <XAxis dataKey="t" type="number" scale="time" domain={[chart.from, chart.to]} tickFormatter={clock} stroke="var(--muted)" fontSize={11} minTickGap={24} />
  );
  const grid = <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />;
  return (
    <>
      <p className="muted" data-testid="red-summary">
        Over {describeTimeRange(range)}: {chart.requests.toLocaleString()} requests ({formatRps(chart.rps)} per second on average), {formatPercent(chart.errorRate)}{' '}
        errors, peak p99 {formatMs(chart.peakP99)}.
      </p>
      <div className="red-charts">
        <RedPanel title="Requests per second">
          <LineChart data={chart.points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            {grid}
            {axis}
            <YAxis tickFormatter={(v: number) => formatRps(v)} stroke="var(--muted)" fontSize={11} width={52} />
            <Tooltip labelFormatter={(t) => clock(Number(t))} formatter={(v) => [`${formatRps(Number(v))} req/s`, 'rate']} contentStyle={TOOLTIP_STYLE} />
            <Line dataKey="rps" stroke="var(--accent)" dot={dots} strokeWidth={1.5} isAnimationActive={false} />
          </LineChart>
        </RedPanel>
        <RedPanel title="Error rate (%)">
          <LineChart data={chart.points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            {grid}
            {axis}
            <YAxis domain={[0, 'auto']} tickFormatter={(v: number) => `${v}%`} stroke="var(--muted)" fontSize={11} width={52} />
            <Tooltip labelFormatter={(t) => clock(Number(t))} formatter={(v) => [formatPercent(Number(v) / 100), 'errors']} contentStyle={TOOLTIP_STYLE} />
            <Line dataKey="errorPct" stroke="var(--bad)" dot={dots} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
          </LineChart>
        </RedPanel>
        <RedPanel title="Latency p50 / p95 / p99">
          <LineChart data={chart.points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            {grid}
            {axis}
            <YAxis tickFormatter={(v: number) => formatMs(v)} stroke="var(--muted)" fontSize={11} width={64} />
            <Tooltip labelFormatter={(t) => clock(Number(t))} formatter={(v, name) => [formatMs(Number(v)), String(name)]} contentStyle={TOOLTIP_STYLE} />
            <Legend iconType="plainline" wrapperStyle={{ fontSize: 11 }} />
            {PERCENTILES.map((p) => (
              <Line key={p.key} dataKey={p.key} name={p.key} stroke={p.color} strokeDasharray={p.dash} dot={dots} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
            ))}
          </LineChart>
        </RedPanel>
      </div>
    </>
  );
}

/** The summary above says the numbers in words; the drawing itself is hidden from screen readers. */
function RedPanel({ title, children }: { title: string; children: ReactElement }) {
  return (
    <figure className="red-chart">
      <figcaption>{title}</figcaption>
      <div className="red-plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height={PLOT_HEIGHT}>
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
