'use client';

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMs } from '@/components/graph/graph-model';
import { formatClock, type LatencyChart } from './service-model';

/**
 * Probe latency across the range. The numbers that matter are written in the caption, so screen
 * readers get them without the drawing.
 */
export function LatencyChartView({ chart, period }: { chart: LatencyChart; period: { from: string; to: string } }) {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const clock = (t: number) => formatClock(new Date(t).toISOString(), period.to);
  return (
    <figure className="latency-chart">
      <figcaption className="muted">
        Latency: median {formatMs(chart.medianMs)}, 95th percentile {formatMs(chart.p95Ms)}, max {formatMs(chart.maxMs)}{' '}
        ({chart.points.length === 1 ? '1 result' : `${chart.points.length} results`})
      </figcaption>
      <div className="latency-plot" aria-hidden="true">
        <ResponsiveContainer width="100%" height={120}>
          <LineChart data={chart.points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={[from, to]} tickFormatter={clock} stroke="var(--muted)" fontSize={11} />
            <YAxis dataKey="ms" domain={[0, chart.axisMaxMs]} tickFormatter={(ms: number) => formatMs(ms)} stroke="var(--muted)" fontSize={11} width={68} allowDecimals={false} />
            <Tooltip
              labelFormatter={(t) => clock(Number(t))}
              formatter={(ms) => [formatMs(Number(ms)), 'latency']}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
            />
            <Line dataKey="ms" stroke="var(--accent)" dot={chart.points.length < 60} strokeWidth={1.5} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
