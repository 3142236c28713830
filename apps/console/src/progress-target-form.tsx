import { type FormEvent, useId, useState } from 'react';
import { describeError } from './api.client';
import { formatCount } from './format';
import { FormError, SubmitRow } from './form-fields';
import { type ProgressScope, setTarget } from './progress.client';

const COUNTY = 'county';

/**
 * Sets the alliance's goal or a region's, a member's or a county's target (alliance admins and
 * data leads; the API records each change with what it replaced). The figures pick it up on
 * their next read.
 */
export function ProgressTargetForm({ scopes, onSaved }: { scopes: readonly ProgressScope[]; onSaved: () => void }) {
  const ids = useId();
  const [whose, setWhose] = useState('');
  const [county, setCounty] = useState('');
  const [voters, setVoters] = useState('');
  const [targetDate, setTargetDate] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const choices = scopes.filter((scope) => scope.kind === 'region' || (scope.kind === 'organization' && scope.parentAnchorId !== null));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const count = Number(voters);
      await setTarget({
        organization: whose !== '' && whose !== COUNTY ? whose : undefined,
        county: whose === COUNTY ? county : undefined,
        voters: count,
        targetDate,
      });
      const named =
        whose === ''
          ? 'The alliance’s goal'
          : whose === COUNTY
            ? `${county}’s target`
            : `${choices.find((scope) => scope.slug === whose)?.name ?? whose}’s target`;
      setNotice(`${named} is now ${formatCount(count)} voters by ${targetDate}.`);
      onSaved();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="inline-form progress-targets" onSubmit={(event) => void submit(event)} aria-describedby={`${ids}-error`}>
      <label className="field">
        <span>Target for</span>
        <select value={whose} onChange={(event) => setWhose(event.target.value)}>
          <option value="">The alliance (its goal)</option>
          {choices.map((scope) => (
            <option key={scope.reference} value={scope.slug ?? ''}>
              {scope.name}
            </option>
          ))}
          <option value={COUNTY}>A county…</option>
        </select>
      </label>
      {whose === COUNTY && (
        <label className="field">
          <span>County</span>
          <input value={county} onChange={(event) => setCounty(event.target.value)} required maxLength={100} />
        </label>
      )}
      <label className="field">
        <span>Unique voters to reach</span>
        <input type="number" min={1} step={1} inputMode="numeric" value={voters} onChange={(event) => setVoters(event.target.value)} required />
      </label>
      <label className="field">
        <span>By</span>
        <input type="date" value={targetDate} onChange={(event) => setTargetDate(event.target.value)} required />
      </label>
      <SubmitRow pending={pending} label="Set target" pendingLabel="Saving…" />
      <FormError id={`${ids}-error`} error={error} />
      {notice !== null && (
        <p className="form-notice" role="status">
          {notice}
        </p>
      )}
    </form>
  );
}
