import { useEffect, useRef } from 'react';

/** What the call screen does for each key; a handler answers whether the key meant something just now. */
export interface CallShortcutHandlers {
  /** 1–9: the nth answer of the question being asked. */
  readonly digit: (digit: number) => boolean;
  /** A lower-case letter: a disposition, or hanging up. */
  readonly letter: (letter: string) => boolean;
  readonly enter: () => boolean;
  readonly space: () => boolean;
  readonly arrow: (direction: 'forward' | 'back') => boolean;
}

/** Input types that take no typing: keys pressed on them are still shortcuts. */
const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Where a key is someone typing (a text field, a text area, a select, an editable region): never a shortcut there. */
function isTyping(target: Element | null): boolean {
  if (target === null) return false;
  if (target instanceof HTMLInputElement) return !NOT_TYPED.has(target.type);
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLElement && target.isContentEditable;
}

/** Where Enter and Space already mean "press this" (a button, a link): the browser's meaning wins. */
function pressesItself(target: Element | null): boolean {
  return target?.closest('button, a[href], summary, [role="button"]') != null;
}

/**
 * The call screen's keyboard: digits answer, letters pick a disposition, Enter saves, Space calls.
 * Nothing fires while someone types in a field, with a modifier held (the browser's and the screen
 * reader's own shortcuts), or on a key the focused control already uses (arrows on a radio group).
 */
export function useCallShortcuts(handlers: CallShortcutHandlers, enabled: boolean): void {
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      const target = event.target instanceof Element ? event.target : null;
      if (isTyping(target)) return;
      const on = current.current;
      const onRadio = target instanceof HTMLInputElement && target.type === 'radio';
      let handled = false;
      if (/^[1-9]$/.test(event.key)) handled = on.digit(Number(event.key));
      else if (/^[a-z]$/i.test(event.key)) handled = on.letter(event.key.toLowerCase());
      else if (event.key === 'Enter' && !pressesItself(target)) handled = on.enter();
      else if (event.key === ' ' && !pressesItself(target) && !onRadio) handled = on.space();
      else if (event.key === 'ArrowRight' && !onRadio) handled = on.arrow('forward');
      else if (event.key === 'ArrowLeft' && !onRadio) handled = on.arrow('back');
      if (handled) event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
