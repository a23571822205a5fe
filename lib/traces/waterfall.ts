import type { SpanDto } from '@/lib/schemas/traces';

// The trace page's render model: spans in tree order with their bar positions, trace totals and a
// time axis. Pure and browser-safe, so the component only draws what this returns.

/** Service colours, readable on the dark theme; red is left out because it means "error". */
export const SERVICE_COLORS = [
  '#5aa9ff',
  '#3ccf91',
  '#f2b84b',
  '#c38dff',
  '#4dd0e1',
  '#ff9f68',
  '#9ccc65',
  '#e78fd8',
  '#90a4ae',
  '#26a69a',
] as const;

export interface WaterfallRow {
  /** Unique per row; the span id unless the trace repeats one. */
  key: string;
  span: SpanDto;
  depth: number;
  /** Start relative to the trace's start, as a fraction of the trace's duration (0–1). */
  offset: number;
  /** Duration as a fraction of the trace's duration (0–1). */
  width: number;
  /** Start relative to the trace's start. */
  startOffsetMs: number;
  colorIndex: number;
  isError: boolean;
  hasChildren: boolean;
  /** Its parent is not in the trace (not arrived, dropped, or a broken parent chain): drawn at depth 0. */
  hasMissingParent: boolean;
}

export interface WaterfallService {
  name: string;
  spanCount: number;
  errorCount: number;
  colorIndex: number;
}

export interface TimeTick {
  ms: number;
  /** Position on the axis, 0–1. */
  fraction: number;
  label: string;
}

export interface Waterfall {
  rows: WaterfallRow[];
  /** The earliest span without a parent; null while the root span has not arrived. */
  root: SpanDto | null;
  /** The earliest span start, ISO-8601 (millisecond precision) and exact unix nanoseconds. */
  startTime: string | null;
  startTimeUnixNano: string | null;
  durationMs: number;
  /** In order of first appearance in the rows. */
  services: WaterfallService[];
  /** Levels of nesting: 1 for a lone span, 0 for no spans. */
  depth: number;
  spanCount: number;
  errorCount: number;
  ticks: TimeTick[];
}

/** Stable across traces and pages, so a service keeps its colour wherever it appears. */
export function serviceColorIndex(service: string): number {
  // FNV-1a: cheap, and spreads similar names ("api-1", "api-2") across the palette.
  let hash = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) {
    hash ^= service.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SERVICE_COLORS.length;
}

export function serviceColor(service: string): string {
  return SERVICE_COLORS[serviceColorIndex(service)] ?? SERVICE_COLORS[0];
}

/** "420ns", "850µs", "12.3ms", "1.20s", "2m 05s": three significant digits below a minute. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0ms';
  // Each unit is chosen after rounding, so 999.96µs reads "1.00ms" rather than "1000µs".
  const ns = Math.round(ms * 1e6);
  if (ns < 1000) return `${ns}ns`;
  const us = Math.round(ms * 1000);
  if (us < 1000) return `${us}µs`;
  if (Number(ms.toPrecision(3)) < 1000) return `${ms.toPrecision(3)}ms`;
  const s = ms / 1000;
  if (Number(s.toPrecision(3)) < 60) return `${s.toPrecision(3)}s`;
  const total = Math.round(s);
  return `${Math.floor(total / 60)}m ${String(total % 60).padStart(2, '0')}s`;
}

/**
 * At most `maxTicks` ticks from 0 at a round step (1, 2, 2.5 or 5 × 10ⁿ ms), the smallest step that
 * keeps within the limit, so the axis reads 0, 250ms, 500ms… rather than 0, 243.7ms…
 */
export function timeTicks(durationMs: number, maxTicks = 5): TimeTick[] {
  if (!(durationMs > 0) || !Number.isFinite(durationMs) || maxTicks < 2) return [{ ms: 0, fraction: 0, label: formatDuration(0) }];
  const raw = durationMs / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // Strictly greater: a step equal to duration/maxTicks would yield maxTicks + 1 ticks.
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s > raw * (1 + 1e-9)) ?? 10 * magnitude;
  const ticks: TimeTick[] = [];
  for (let i = 0; i < maxTicks; i++) {
    // toPrecision strips float noise such as 0.30000000000000004.
    const ms = Number((i * step).toPrecision(12));
    if (ms > durationMs * (1 + 1e-9)) break;
    ticks.push({ ms, fraction: Math.min(1, ms / durationMs), label: formatDuration(ms) });
  }
  return ticks;
}

/** Time of an event relative to its span's start, exact to the nanosecond before conversion. */
export function eventOffsetMs(span: Pick<SpanDto, 'startTimeUnixNano' | 'startTime'>, event: { timeUnixNano: string; time: string }): number {
  return Number(toNanos(event.timeUnixNano, event.time) - toNanos(span.startTimeUnixNano, span.startTime)) / 1e6;
}

/** The rows left on screen once the rows whose keys are in `collapsed` hide their descendants. */
export function visibleRows(rows: readonly WaterfallRow[], collapsed: ReadonlySet<string>): WaterfallRow[] {
  const visible: WaterfallRow[] = [];
  // Rows come depth-first, so a collapsed row's descendants are exactly the deeper rows after it.
  let hideDeeperThan = Infinity;
  for (const row of rows) {
    if (row.depth > hideDeeperThan) continue;
    hideDeeperThan = collapsed.has(row.key) ? row.depth : Infinity;
    visible.push(row);
  }
  return visible;
}

interface Node {
  span: SpanDto;
  index: number;
  startNs: bigint;
  durationNs: bigint;
}

/** Unix nanoseconds as a BigInt: above 2⁵³ a Number would round them to 256ns steps. */
function toNanos(unixNano: string, iso: string): bigint {
  if (/^\d+$/.test(unixNano)) return BigInt(unixNano);
  // Only for a malformed value: the ISO time is millisecond-exact, which is still drawable.
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? BigInt(ms) * 1_000_000n : 0n;
}

function byStart(a: Node, b: Node): number {
  if (a.startNs !== b.startNs) return a.startNs < b.startNs ? -1 : 1;
  return a.index - b.index;
}

export function buildWaterfall(spans: readonly SpanDto[]): Waterfall {
  const nodes: Node[] = spans.map((span, index) => ({
    span,
    index,
    startNs: toNanos(span.startTimeUnixNano, span.startTime),
    durationNs: BigInt(Math.max(0, Math.round(span.durationMs * 1e6))),
  }));
  if (nodes.length === 0) {
    return { rows: [], root: null, startTime: null, startTimeUnixNano: null, durationMs: 0, services: [], depth: 0, spanCount: 0, errorCount: 0, ticks: timeTicks(0) };
  }

  let traceStart = nodes[0]!.startNs;
  let traceEnd = traceStart + nodes[0]!.durationNs;
  let earliest = nodes[0]!;
  for (const node of nodes) {
    if (node.startNs < traceStart) {
      traceStart = node.startNs;
      earliest = node;
    }
    if (node.startNs + node.durationNs > traceEnd) traceEnd = node.startNs + node.durationNs;
  }
  const totalNs = traceEnd - traceStart;
  const fraction = (ns: bigint) => (totalNs === 0n ? 0 : Math.min(1, Math.max(0, Number(ns) / Number(totalNs))));

  const ids = new Set(nodes.map((n) => n.span.spanId));
  const children = new Map<string, Node[]>();
  const topLevel: Node[] = [];
  for (const node of nodes) {
    const parent = node.span.parentSpanId;
    if (parent === null || !ids.has(parent)) topLevel.push(node);
    else {
      const siblings = children.get(parent);
      if (siblings) siblings.push(node);
      else children.set(parent, [node]);
    }
  }
  for (const list of children.values()) list.sort(byStart);
  topLevel.sort(byStart);

  const rows: WaterfallRow[] = [];
  const visited = new Set<number>();
  const usedKeys = new Set<string>();
  // Iterative, because a hostile or very deep trace would overflow the call stack.
  const visit = (start: Node) => {
    const stack: { node: Node; depth: number }[] = [{ node: start, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if (visited.has(node.index)) continue;
      visited.add(node.index);
      const kids = (children.get(node.span.spanId) ?? []).filter((k) => !visited.has(k.index));
      let key = node.span.spanId;
      for (let n = 2; usedKeys.has(key); n++) key = `${node.span.spanId}#${n}`;
      usedKeys.add(key);
      rows.push({
        key,
        span: node.span,
        depth,
        offset: fraction(node.startNs - traceStart),
        width: fraction(node.durationNs),
        startOffsetMs: Number(node.startNs - traceStart) / 1e6,
        colorIndex: serviceColorIndex(node.span.service),
        isError: node.span.statusCode === 'error',
        hasChildren: kids.length > 0,
        hasMissingParent: depth === 0 && node.span.parentSpanId !== null,
      });
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, depth: depth + 1 });
    }
  };
  for (const node of topLevel) visit(node);
  // Spans in a parent cycle are reachable from no top-level span; they are still drawn.
  for (const node of [...nodes].sort(byStart)) if (!visited.has(node.index)) visit(node);

  const services = new Map<string, WaterfallService>();
  let errorCount = 0;
  let depth = 0;
  for (const row of rows) {
    const service = services.get(row.span.service) ?? { name: row.span.service, spanCount: 0, errorCount: 0, colorIndex: row.colorIndex };
    service.spanCount++;
    if (row.isError) {
      service.errorCount++;
      errorCount++;
    }
    services.set(service.name, service);
    depth = Math.max(depth, row.depth + 1);
  }
  const durationMs = Number(totalNs) / 1e6;

  return {
    rows,
    root: rows.find((r) => r.span.parentSpanId === null)?.span ?? null,
    startTime: earliest.span.startTime,
    startTimeUnixNano: traceStart.toString(),
    durationMs,
    services: [...services.values()],
    depth,
    spanCount: rows.length,
    errorCount,
    ticks: timeTicks(durationMs),
  };
}
