'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useId, useState, useSyncExternalStore, type ChangeEvent, type FormEvent } from 'react';
import { TIME_RANGES, TIME_RANGE_LABELS, type TimeRange } from '@/components/services/service-model';
import { LIVE_REFRESH_MS, MAP_HOPS, fromLocalInput, mapQueryString, toLocalInput, type Hops, type MapQuery } from './graph-model';

const CUSTOM = 'custom';
const noSubscription = () => () => {};

/**
 * Range, live mode and the neighbourhood filter. Everything lives in the URL, so a view can be
 * shared and reloaded; replace() keeps each tweak out of the Back history.
 */
export function MapToolbar({ query, nodeIds, isRefreshing, onRefresh }: { query: MapQuery; nodeIds: readonly string[]; isRefreshing: boolean; onRefresh: () => void }) {
  const router = useRouter();
  const pathname = usePathname();
  const ids = useId();
  const [isEditingCustom, setEditingCustom] = useState(false);

  function navigate(next: MapQuery) {
    router.replace(`${pathname}?${mapQueryString(next)}`, { scroll: false });
  }

  function onRangeChange(event: ChangeEvent<HTMLSelectElement>) {
    const value = event.target.value;
    if (value === CUSTOM) {
      setEditingCustom(true);
      return;
    }
    setEditingCustom(false);
    navigate({ ...query, window: { kind: 'relative', range: value as TimeRange } });
  }

  const isCustom = query.window.kind === 'custom' || isEditingCustom;
  const selectedRange = query.window.kind === 'custom' || isEditingCustom ? CUSTOM : query.window.range;
  return (
    <div className="card map-toolbar">
      <div className="form-row">
        <label>
          Time range
          <select aria-label="Time range" value={selectedRange} onChange={onRangeChange}>
            {(Object.keys(TIME_RANGES) as TimeRange[]).map((r) => (
              <option key={r} value={r}>
                Last {TIME_RANGE_LABELS[r]}
              </option>
            ))}
            <option value={CUSTOM}>Custom…</option>
          </select>
        </label>
        <label className="map-live" title={query.window.kind === 'custom' ? 'A custom range does not move; pick a relative range to follow it live.' : undefined}>
          <input
            type="checkbox"
            checked={query.isLive}
            disabled={query.window.kind === 'custom'}
            aria-describedby={`${ids}-live-hint`}
            onChange={(e) => navigate({ ...query, isLive: e.target.checked })}
          />
          Live
        </label>
        <button type="button" onClick={onRefresh} disabled={isRefreshing}>
          {isRefreshing ? 'Refreshing…' : 'Refresh'}
        </button>
        <FocusForm key={`${query.focus}\u0000${query.hops}`} query={query} nodeIds={nodeIds} onNavigate={navigate} />
      </div>
      {isCustom && (
        <CustomRangeForm
          // Remounted per URL window so Apply and Back both show the window in force.
          key={query.window.kind === 'custom' ? `${query.window.from}/${query.window.to}` : 'new'}
          query={query}
          onApply={(from, to) => {
            setEditingCustom(false);
            navigate({ ...query, window: { kind: 'custom', from, to }, isLive: false });
          }}
        />
      )}
      <p id={`${ids}-live-hint`} className="muted map-hint">
        {query.window.kind === 'custom'
          ? 'Live refresh needs a relative range.'
          : query.isLive
            ? `Refreshing every ${LIVE_REFRESH_MS / 1000} seconds. Your pan and zoom stay put; nodes move only when services or calls appear or disappear.`
            : 'Turn on Live to refresh every few seconds.'}
      </p>
    </div>
  );
}

function FocusForm({ query, nodeIds, onNavigate }: { query: MapQuery; nodeIds: readonly string[]; onNavigate: (next: MapQuery) => void }) {
  const ids = useId();
  const [focus, setFocus] = useState(query.focus);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onNavigate({ ...query, focus: focus.trim() });
  }

  function onInput(event: ChangeEvent<HTMLInputElement>) {
    const value = event.target.value;
    setFocus(value);
    // Picking from the datalist is not typing (no inputType): apply it at once, as a select would.
    const isPick = !('inputType' in event.nativeEvent) || (event.nativeEvent as InputEvent).inputType === 'insertReplacementText';
    if (isPick && nodeIds.includes(value)) onNavigate({ ...query, focus: value });
  }

  return (
    <form className="form-row map-focus" role="search" aria-label="Focus on a service" onSubmit={onSubmit}>
      <label>
        Service
        <input type="search" list={`${ids}-nodes`} value={focus} onChange={onInput} placeholder="Whole map" autoComplete="off" spellCheck={false} size={18} />
      </label>
      <datalist id={`${ids}-nodes`}>
        {nodeIds.map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      <label>
        Hops
        <select aria-label="Hops" value={query.hops} onChange={(e) => onNavigate({ ...query, hops: Number(e.target.value) as Hops })}>
          {MAP_HOPS.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Focus</button>
      {query.focus && (
        <button type="button" onClick={() => onNavigate({ ...query, focus: '' })}>
          Whole map
        </button>
      )}
    </form>
  );
}

/** From/To in the browser's time zone. The server cannot know that zone, so the inputs render in the browser only. */
function CustomRangeForm({ query, onApply }: { query: MapQuery; onApply: (from: string, to: string) => void }) {
  const ids = useId();
  const isBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  const [error, setError] = useState<string | null>(null);
  const [initial] = useState(() =>
    query.window.kind === 'custom'
      ? { from: query.window.from, to: query.window.to }
      : // Start from the window on screen, so Custom is a tweak rather than a blank form.
        { from: new Date(Date.now() - TIME_RANGES[query.window.range]).toISOString(), to: new Date().toISOString() },
  );
  if (!isBrowser) return null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = fromLocalInput(String(form.get('from') ?? ''));
    const to = fromLocalInput(String(form.get('to') ?? ''));
    if (!from || !to) return setError('Enter both From and To.');
    if (Date.parse(from) >= Date.parse(to)) return setError('From must be before To.');
    setError(null);
    onApply(from, to);
  }

  return (
    <form className="form-row map-custom-range" aria-label="Custom time range" onSubmit={onSubmit} noValidate>
      <label>
        From
        <input type="datetime-local" name="from" defaultValue={toLocalInput(initial.from)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${ids}-error` : undefined} />
      </label>
      <label>
        To
        <input type="datetime-local" name="to" defaultValue={toLocalInput(initial.to)} />
      </label>
      <button type="submit" className="primary">
        Apply
      </button>
      {error && (
        <p id={`${ids}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
