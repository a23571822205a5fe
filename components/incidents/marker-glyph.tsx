import type { TimelineType } from '@/lib/schemas/incidents';
import { MARKER_META } from './incident-model';

const BACKGROUND = 'var(--bg)';

/**
 * One timeline entry's marker, centred on (cx, cy): the chart draws it at each entry and the
 * legend and table draw the same glyph, so the key matches what is on the plot.
 */
export function MarkerGlyph({ type, cx, cy, size = 6 }: { type: TimelineType; cx: number; cy: number; size?: number }) {
  const { shape, color } = MARKER_META[type];
  const s = size;
  switch (shape) {
    case 'triangle':
      return <polygon points={`${cx},${cy - s} ${cx + s},${cy + s * 0.8} ${cx - s},${cy + s * 0.8}`} fill={color} />;
    case 'circle':
      return <circle cx={cx} cy={cy} r={s * 0.8} fill={color} />;
    case 'square':
      return <rect x={cx - s * 0.75} y={cy - s * 0.75} width={s * 1.5} height={s * 1.5} fill={color} />;
    case 'diamond':
      return <polygon points={`${cx},${cy - s} ${cx + s},${cy} ${cx},${cy + s} ${cx - s},${cy}`} fill={color} />;
    case 'cross':
      return <path d={`M${cx - s * 0.8} ${cy - s * 0.8}L${cx + s * 0.8} ${cy + s * 0.8}M${cx + s * 0.8} ${cy - s * 0.8}L${cx - s * 0.8} ${cy + s * 0.8}`} stroke={color} strokeWidth={2.5} strokeLinecap="round" />;
    case 'ring':
      return <circle cx={cx} cy={cy} r={s * 0.7} fill={BACKGROUND} stroke={color} strokeWidth={2.5} />;
    case 'star':
      return <polygon points={starPoints(cx, cy, s * 1.1, s * 0.45)} fill={color} />;
    case 'note':
      return (
        <g>
          <rect x={cx - s * 0.85} y={cy - s * 0.7} width={s * 1.7} height={s * 1.4} rx={1.5} fill={BACKGROUND} stroke={color} strokeWidth={2} />
          <path d={`M${cx - s * 0.4} ${cy}H${cx + s * 0.4}`} stroke={color} strokeWidth={1.5} />
        </g>
      );
  }
}

function starPoints(cx: number, cy: number, outer: number, inner: number): string {
  return Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? outer : inner;
    const angle = (Math.PI / 5) * i - Math.PI / 2;
    return `${(cx + r * Math.cos(angle)).toFixed(2)},${(cy + r * Math.sin(angle)).toFixed(2)}`;
  }).join(' ');
}

/** The glyph on its own, for the legend and the table (decorative: the words next to it say the same). */
export function MarkerSwatch({ type }: { type: TimelineType }) {
  return (
    <svg className="marker-swatch" width={16} height={16} viewBox="0 0 16 16" aria-hidden="true">
      <MarkerGlyph type={type} cx={8} cy={8} />
    </svg>
  );
}
