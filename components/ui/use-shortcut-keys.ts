'use client';

import { useEffect, useEffectEvent } from 'react';

/** What a page's shortcut table needs to know about a key press. */
export interface ShortcutKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
  target: HTMLElement | null;
}

/**
 * Listens for the page's single-letter shortcuts while `enabled`: `shortcutFor` maps a key press
 * to a shortcut (or null to let it through), `run` acts on it.
 */
export function useShortcutKeys<S>(enabled: boolean, shortcutFor: (key: ShortcutKey) => S | null, run: (shortcut: S) => void): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (!enabled || event.defaultPrevented) return;
    const target = event.target instanceof HTMLElement ? event.target : null;
    const shortcut = shortcutFor({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, repeat: event.repeat, target });
    if (shortcut === null) return;
    // A shortcut that focuses a field must not also type its letter into it.
    event.preventDefault();
    run(shortcut);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
