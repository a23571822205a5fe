'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock, formatElapsed } from '@/components/services/service-model';
import { QueryFeedback } from '@/components/ui/feedback';
import type { AlertDto } from '@/lib/schemas/alerts';
import { ALERTS_KEY, fetchSignal } from './alert-api';
import { RULE_LABELS, RULE_UNITS, buildSignalChart, describeSignalChart, entityLabel, formatAxisValue, formatRuleValue, isBreach, type SignalChart } from './alert-model';

// The series costs the server one rule evaluation per step (up to 240), so it refreshes less often than the alert.
const SIGNAL_REFRESH_MS = 15_000;
const PLOT_HEIGHT = 220;
const TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)' };
const THRESHOLD_DASH = '6 3';

/** The rule's reading of the alert's entity around the alert, against its threshold. */
export function SignalChartCard({ alert }: { alert: AlertDto }) {
  const signal = useQuery({
    queryKey: [...ALERTS_KEY, 'signal', alert.id],
    queryFn: ({ signal: abort }) => fetchSignal(alert.id, abort),
    refetchInterval: SIGNAL_REFRESH_MS,
  });
  const chart = useMemo(() => (signal.data ? buildSignalChart(signal.data, alert) : null), [signal.data, alert]);

  return (
    <section className="card" aria-labelledby="signal-title">
      <h2 id="signal-title">Signal</h2>
      <p className="muted">
        {RULE_LABELS[alert.rule]} of {entityLabel(alert.entity)}, in {RULE_UNITS[alert.rule]}
        {signal.data && `, one reading every ${formatElapsed(signal.data.stepMs)}`}. The shaded band is while the alert was open.
      </p>
      <QueryFeedback isPending={signal.isPending} error={signal.data ? null : signal.error} what="the signal" />
      {chart && <SignalPlot chart={chart} />}
    </section>
  );
}

function SignalPlot({ chart }: { chart: SignalChart }) {
  const clock = (t: number) => formatClock(t, chart.to);
  const value = (v: number) => formatRuleValue(chart.rule, v);
  const marker = (label: string) => ({ value: label, position: 'insideTopLeft' as const, fill: 'var(--muted)', fontSize: 11 });
  return (
    <figure className="signal-chart">
      {/* The drawing is one image to assistive technology; its name says what it shows, the table below has every reading. */}
      <div className="signal-plot" role="img" aria-label={describeSignalChart(chart, clock)}>
        <ResponsiveContainer width="100%" height={PLOT_HEIGHT}>
          <LineChart data={chart.points} margin={{ top: 12, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={[chart.from, chart.to]} tickFormatter={clock} stroke="var(--muted)" fontSize={11} minTickGap={24} />
            <YAxis domain={[0, 'auto']} tickFormatter={(v: number) => formatAxisValue(chart.rule, v)} stroke="var(--muted)" fontSize={11} width={64} />
            <Tooltip labelFormatter={(t) => clock(Number(t))} formatter={(v, name) => [value(Number(v)), String(name)]} contentStyle={TOOLTIP_STYLE} />
            {chart.openFrom !== null && chart.openTo !== null && (
              <ReferenceArea x1={chart.openFrom} x2={chart.openTo} fill="var(--bad)" fillOpacity={0.1} stroke="none" ifOverflow="hidden" />
            )}
            {chart.openFrom !== null && <ReferenceLine x={chart.openFrom} stroke="var(--bad)" strokeDasharray="2 2" label={marker('started')} />}
            {chart.resolvedAt !== null && <ReferenceLine x={chart.resolvedAt} stroke="var(--ok)" strokeDasharray="2 2" label={marker('resolved')} />}
            {chart.thresholdVaries ? (
              <Line dataKey="threshold" name="threshold" type="stepAfter" stroke="var(--warn)" strokeDasharray={THRESHOLD_DASH} dot={false} strokeWidth={1.5} isAnimationActive={false} />
            ) : (
              <ReferenceLine y={chart.threshold} stroke="var(--warn)" strokeDasharray={THRESHOLD_DASH} ifOverflow="extendDomain" label={{ ...marker('threshold'), position: 'insideTopRight' }} />
            )}
            <Line dataKey="value" name="reading" stroke="var(--accent)" dot={chart.points.length <= 40} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption>
        <ul className="signal-legend" aria-label="Legend">
          <li>
            <span className="signal-swatch" aria-hidden="true" /> reading
          </li>
          <li>
            <span className="signal-swatch is-threshold" aria-hidden="true" /> threshold ({chart.thresholdVaries ? 'as it was at each step' : value(chart.threshold)})
          </li>
          <li>
            <span className="signal-swatch is-open" aria-hidden="true" /> alert open
          </li>
          <li className="muted">Gaps: too little traffic to judge.</li>
        </ul>
      </figcaption>
      <SignalTable chart={chart} clock={clock} />
    </figure>
  );
}

function SignalTable({ chart, clock }: { chart: SignalChart; clock: (t: number) => string }) {
  return (
    <details className="signal-table">
      <summary>Readings as a table</summary>
      <div className="table-scroll">
        <table>
          <caption className="sr-only">{RULE_LABELS[chart.rule]} at each step</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Reading</th>
              <th scope="col">Threshold</th>
              <th scope="col">Past threshold</th>
            </tr>
          </thead>
          <tbody>
            {chart.points.map((p) => (
              <tr key={p.t}>
                <td className="nowrap">{clock(p.t)}</td>
                <td>{p.value === null ? 'not enough traffic' : formatRuleValue(chart.rule, p.value)}</td>
                <td>{formatRuleValue(chart.rule, p.threshold)}</td>
                <td>{p.value === null ? '—' : isBreach(chart.rule, p.value, p.threshold) ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
