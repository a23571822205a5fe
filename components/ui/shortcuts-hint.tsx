import { Fragment } from 'react';

/** Which keys do what on this page, and the switch that turns them on or off (useShortcutsSetting remembers it). */
export function ShortcutsHint({ isOn, onToggle, keys }: { isOn: boolean; onToggle: (on: boolean) => void; keys: readonly (readonly [key: string, action: string])[] }) {
  return (
    <p className="muted kbd-hint">
      {isOn ? (
        <>
          Keyboard:{' '}
          {keys.map(([key, action], i) => (
            <Fragment key={key}>
              {i > 0 && ' · '}
              <kbd>{key}</kbd> {action}
            </Fragment>
          ))}{' '}
        </>
      ) : (
        'Keyboard shortcuts are off. '
      )}
      <button type="button" className="link-button" onClick={() => onToggle(!isOn)}>
        {isOn ? 'Turn shortcuts off' : 'Turn shortcuts on'}
      </button>
    </p>
  );
}
