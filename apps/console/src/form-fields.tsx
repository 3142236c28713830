import type { ReactNode } from 'react';

/** Anything listed by slug and shown by name: organizations, campaigns. */
export interface SlugChoice {
  readonly slug: string;
  readonly name: string;
}

/** One option per choice, keyed and valued by slug so the select's value is what the API takes. */
export function SlugOptions({ choices }: { choices: readonly SlugChoice[] }) {
  return (
    <>
      {choices.map((choice) => (
        <option key={choice.slug} value={choice.slug}>
          {choice.name}
        </option>
      ))}
    </>
  );
}

/**
 * A select with its visible label in a `.field` box (or `.field field-inline` above a list). The label
 * is what people and the browser test find it by, so it is always rendered and tied by id.
 */
export function SelectField({
  id,
  label,
  value,
  onChange,
  className = 'field',
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  /** The options; `<SlugOptions>` for a list of organizations or campaigns. */
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {children}
      </select>
    </div>
  );
}

/**
 * A submit button that says what it is doing while the request runs and cannot be pressed twice.
 * `disabled` adds the form's own reasons (say, a required field still empty).
 */
export function SubmitButton({
  pending,
  label,
  pendingLabel,
  disabled = false,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
  disabled?: boolean;
}) {
  return (
    <button type="submit" disabled={pending || disabled}>
      {pending ? pendingLabel : label}
    </button>
  );
}

/** The submit button of an inline or card form, in the box that lines it up with the fields' inputs. */
export function SubmitRow(props: { pending: boolean; label: string; pendingLabel: string; disabled?: boolean }) {
  return (
    <div className="card-form-actions">
      <SubmitButton {...props} />
    </div>
  );
}

/**
 * Why the last attempt failed, announced as it appears (role="alert"); nothing while there is no error,
 * so callers pass their error state as it is. `id` lets fields point at it with aria-describedby;
 * `onRetry` adds a "Try again" button for a load that may well work a second time.
 */
export function FormError({
  error,
  id,
  className = 'form-error',
  onRetry,
}: {
  error: string | null;
  id?: string;
  /** `error` on the sign-in, invitation and reset cards; `form-error` (boxed) everywhere else. */
  className?: string;
  onRetry?: () => void;
}) {
  if (error === null) return null;
  return (
    <p id={id} role="alert" className={className}>
      {error}
      {onRetry !== undefined && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onRetry}>
            Try again
          </button>
        </>
      )}
    </p>
  );
}
