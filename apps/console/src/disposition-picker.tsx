import { type RefObject, useId } from 'react';
import type { DispositionOption } from './calling.client';

export const CALL_BACK = 'call_back';

/** "2026-11-30T14:05" in the browser's own zone: the floor of a datetime-local field. */
export function localDateTimeInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * How the call ended, one press (or one letter) each, and for a call-back the time to call again.
 * The buttons are toggles (aria-pressed) so the choice is heard as well as seen; the group takes
 * focus when a save finds no choice made.
 */
export function DispositionPicker({
  options,
  chosen,
  onChoose,
  callBackAt,
  onCallBackAt,
  disabled,
  callBackInvalid,
  errorId,
  groupRef,
  callBackRef,
}: {
  options: readonly DispositionOption[];
  chosen: string | null;
  onChoose: (value: string) => void;
  callBackAt: string;
  onCallBackAt: (value: string) => void;
  disabled: boolean;
  /** Set when a save was refused for want of a call-back time, to mark the field. */
  callBackInvalid: boolean;
  /** The error a refused save shows, which the call-back field then points at. */
  errorId: string;
  groupRef: RefObject<HTMLDivElement | null>;
  callBackRef: RefObject<HTMLInputElement | null>;
}) {
  const ids = useId();
  return (
    <div className="stack">
      <div ref={groupRef} role="group" aria-labelledby={`${ids}-title`} tabIndex={-1} className="disposition-group">
        <h2 id={`${ids}-title`}>How did the call end?</h2>
        <div className="disposition-grid">
          {options.map((option) => (
            <button
              key={option.value}
              type="button"
              className="disposition"
              aria-pressed={chosen === option.value}
              aria-keyshortcuts={option.shortcutKey.toUpperCase()}
              disabled={disabled}
              onClick={() => onChoose(option.value)}
            >
              <span>{option.label}</span>
              <kbd aria-hidden="true">{option.shortcutKey.toUpperCase()}</kbd>
            </button>
          ))}
        </div>
      </div>
      {chosen === CALL_BACK && (
        <div className="field call-back-field">
          <label htmlFor={`${ids}-call-back`}>Call back at</label>
          <input
            ref={callBackRef}
            id={`${ids}-call-back`}
            type="datetime-local"
            required
            min={localDateTimeInput(new Date())}
            value={callBackAt}
            onChange={(event) => onCallBackAt(event.target.value)}
            aria-invalid={callBackInvalid || undefined}
            aria-describedby={`${ids}-call-back-hint${callBackInvalid ? ` ${errorId}` : ''}`}
            disabled={disabled}
          />
          <p id={`${ids}-call-back-hint`} className="hint">
            In your own time; the voter is called back only inside calling hours where they live.
          </p>
        </div>
      )}
    </div>
  );
}
