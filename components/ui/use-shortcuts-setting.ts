'use client';

import { useSyncExternalStore } from 'react';

// Single-key shortcuts can fire by accident under speech input, so they can be switched off (WCAG
// 2.1.4); the choice is kept per browser and holds on every page that has them (alerts, incidents).
// The key keeps its first name so choices made on the alert page still count.
const SHORTCUTS_KEY = 'faultline.alerts.shortcuts';
const settingListeners = new Set<() => void>();
// Where the choice lives when storage is disabled: until the page is reloaded.
let sessionSetting = true;

function readShortcutsSetting(): boolean {
  try {
    const stored = window.localStorage.getItem(SHORTCUTS_KEY);
    return stored === null ? sessionSetting : stored !== 'off';
  } catch {
    return sessionSetting;
  }
}

/** Whether single-key shortcuts are on in this browser, and a setter every open page hears. */
export function useShortcutsSetting(): [boolean, (on: boolean) => void] {
  const isOn = useSyncExternalStore(
    (notify) => {
      settingListeners.add(notify);
      return () => settingListeners.delete(notify);
    },
    readShortcutsSetting,
    () => true,
  );
  const set = (on: boolean) => {
    sessionSetting = on;
    try {
      window.localStorage.setItem(SHORTCUTS_KEY, on ? 'on' : 'off');
    } catch {
      // Storage can be disabled; sessionSetting still holds the choice.
    }
    settingListeners.forEach((notify) => notify());
  };
  return [isOn, set];
}
