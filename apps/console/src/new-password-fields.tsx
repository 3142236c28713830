import { useId } from 'react';
import { MINIMUM_PASSWORD_LENGTH } from './links.client';

/** A new password and its confirmation, with the rule spelled out before anyone gets it wrong. */
export function NewPasswordFields({
  password,
  confirmation,
  onPassword,
  onConfirmation,
  invalid,
  errorId,
}: {
  password: string;
  confirmation: string;
  onPassword: (value: string) => void;
  onConfirmation: (value: string) => void;
  /** Marks both fields invalid after a refused attempt; errorId names the message that says why. */
  invalid: boolean;
  errorId: string;
}) {
  const ids = useId();
  const describedBy = invalid ? `${ids}-rule ${errorId}` : `${ids}-rule`;
  return (
    <>
      <label htmlFor={`${ids}-password`}>New password</label>
      <input
        id={`${ids}-password`}
        type="password"
        autoComplete="new-password"
        required
        minLength={MINIMUM_PASSWORD_LENGTH}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        value={password}
        onChange={(event) => onPassword(event.target.value)}
      />
      <p id={`${ids}-rule`} className="hint">
        At least {MINIMUM_PASSWORD_LENGTH} characters. A few unrelated words make a strong one that is easy to remember.
      </p>
      <label htmlFor={`${ids}-confirmation`}>Type the password again</label>
      <input
        id={`${ids}-confirmation`}
        type="password"
        autoComplete="new-password"
        required
        aria-describedby={invalid ? errorId : undefined}
        aria-invalid={invalid || undefined}
        value={confirmation}
        onChange={(event) => onConfirmation(event.target.value)}
      />
    </>
  );
}
