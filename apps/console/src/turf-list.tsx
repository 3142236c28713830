import { type FormEvent, useId, useState } from 'react';
import { ApiError, describeError } from './api.client';
import { formatCount, formatDateTime, formatQuantity } from './format';
import { FormError, SelectField, SlugOptions, SubmitRow } from './form-fields';
import type { OrganizationReference } from './organizations.client';
import { assignTurf, type Campaign, materializeTurf, MAX_TURF_PARTS, type SplitMethod, splitTurf, type Turf } from './turf.client';
import { describeTurfFilter } from './turf-filter';

interface TurfListProps {
  readonly turfs: readonly Turf[];
  readonly campaigns: readonly Campaign[];
  /** The member organizations turf may go to. */
  readonly members: readonly OrganizationReference[];
  /** After any change, so the lists show what the server now holds. */
  readonly onChanged: (notice: string) => void;
}

/** The turf the person may see, newest first, each with what can be done to it next. */
export function TurfList({ turfs, campaigns, members, onChanged }: TurfListProps) {
  if (turfs.length === 0) return <p className="muted">No turf yet. Set a filter above and save it as a turf.</p>;
  const names = new Map(turfs.map((turf) => [turf.id, turf.name]));
  return (
    <ol className="turf-list">
      {turfs.map((turf) => (
        <li key={turf.id}>
          <TurfCard
            turf={turf}
            parentName={turf.parentTurfId === null ? null : (names.get(turf.parentTurfId) ?? 'another turf')}
            partCount={turfs.filter((each) => each.parentTurfId === turf.id).length}
            campaigns={campaigns}
            members={members}
            onChanged={onChanged}
          />
        </li>
      ))}
    </ol>
  );
}

function TurfCard({
  turf,
  parentName,
  partCount,
  campaigns,
  members,
  onChanged,
}: {
  turf: Turf;
  parentName: string | null;
  partCount: number;
  campaigns: readonly Campaign[];
  members: readonly OrganizationReference[];
  onChanged: (notice: string) => void;
}) {
  const ids = useId();
  const [open, setOpen] = useState<'split' | 'assign' | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = turf.assignments.filter((assignment) => assignment.endedAt === null);

  async function materialize() {
    setPending(true);
    setError(null);
    try {
      const done = await materializeTurf(turf.id);
      onChanged(`“${done.name}” is materialized with ${formatQuantity(done.voterCount ?? 0, 'voter')}.`);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  }

  const toggle = (panel: 'split' | 'assign') => setOpen((shown) => (shown === panel ? null : panel));
  // A form that did its work closes; the page's notice says what happened.
  const done = (notice: string) => {
    setOpen(null);
    onChanged(notice);
  };

  return (
    <article className="turf-card" aria-labelledby={`${ids}-name`}>
      <header className="import-card-header">
        <h3 id={`${ids}-name`}>{turf.name}</h3>
        <span className={`status-badge ${turf.status === 'materialized' ? 'status-succeeded' : 'status-queued'}`}>
          {turf.status === 'materialized' ? 'Materialized' : 'Draft'}
        </span>
      </header>
      <p className="muted small">
        {describeTurfFilter(turf.filter)}
        {parentName !== null && ` · part of “${parentName}”`} · saved {formatDateTime(turf.createdAt)}
      </p>
      <p className="turf-voters">
        {turf.voterCount === null ? 'A draft: its voters are counted and frozen when it is materialized.' : formatQuantity(turf.voterCount, 'voter')}
        {partCount > 0 && ` · split into ${partCount} parts`}
      </p>
      {current.length > 0 && (
        <ul className="turf-holders">
          {current.map((assignment) => (
            <li key={assignment.id}>
              Assigned to <strong>{assignment.organization.name}</strong> for {assignment.campaign.name} ({formatQuantity(assignment.voterCount, 'voter')})
            </li>
          ))}
        </ul>
      )}

      <div className="actions">
        {turf.status === 'draft' && (
          <button type="button" onClick={materialize} disabled={pending}>
            {pending ? 'Materializing…' : 'Materialize'}
          </button>
        )}
        {turf.status === 'materialized' && partCount === 0 && (
          <button type="button" className="secondary" aria-expanded={open === 'split'} aria-controls={`${ids}-split`} onClick={() => toggle('split')}>
            Split…
          </button>
        )}
        {turf.status === 'materialized' && (
          <button type="button" className="secondary" aria-expanded={open === 'assign'} aria-controls={`${ids}-assign`} onClick={() => toggle('assign')}>
            Assign…
          </button>
        )}
      </div>
      <FormError error={error} />
      {open === 'split' && <SplitForm id={`${ids}-split`} turf={turf} onChanged={done} />}
      {open === 'assign' && <AssignForm id={`${ids}-assign`} turf={turf} campaigns={campaigns} members={members} onChanged={done} />}
    </article>
  );
}

function SplitForm({ id, turf, onChanged }: { id: string; turf: Turf; onChanged: (notice: string) => void }) {
  const ids = useId();
  const [parts, setParts] = useState('2');
  const [method, setMethod] = useState<SplitMethod>('precinct');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const count = Number(parts);
    if (!Number.isInteger(count) || count < 2 || count > MAX_TURF_PARTS) {
      setError(`Parts must be a whole number from 2 to ${MAX_TURF_PARTS}.`);
      return;
    }
    setPending(true);
    setError(null);
    try {
      const answer = await splitTurf(turf.id, count, method);
      onChanged(
        `“${turf.name}” is split into ${answer.parts.length} parts of ${answer.parts.map((part) => formatCount(part.voterCount ?? 0)).join(', ')} voters.`,
      );
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  }

  return (
    <form id={id} className="card-form" aria-label={`Split ${turf.name}`} onSubmit={submit} noValidate>
      <div className="field field-narrow">
        <label htmlFor={`${ids}-parts`}>Parts</label>
        <input
          id={`${ids}-parts`}
          type="number"
          inputMode="numeric"
          min={2}
          max={MAX_TURF_PARTS}
          value={parts}
          onChange={(event) => setParts(event.target.value)}
        />
      </div>
      <SelectField id={`${ids}-method`} label="How" value={method} onChange={(value) => setMethod(value as SplitMethod)}>
        <option value="precinct">By precinct (keeps precincts whole)</option>
        <option value="equal">Equal sizes</option>
      </SelectField>
      <SubmitRow pending={pending} label="Split" pendingLabel="Splitting…" />
      <FormError error={error} className="form-error card-form-message" />
    </form>
  );
}

interface Conflict {
  readonly conflicting: number;
  readonly assignable: number;
}

function conflictOf(failure: unknown): Conflict | null {
  if (!(failure instanceof ApiError) || failure.status !== 409) return null;
  const conflicting = failure.details?.conflictingVoters;
  const assignable = failure.details?.assignableVoters;
  return typeof conflicting === 'number' && typeof assignable === 'number' ? { conflicting, assignable } : null;
}

/** Assigns the turf for a campaign; when some voters are taken, offers the rest. */
function AssignForm({
  id,
  turf,
  campaigns,
  members,
  onChanged,
}: {
  id: string;
  turf: Turf;
  campaigns: readonly Campaign[];
  members: readonly OrganizationReference[];
  onChanged: (notice: string) => void;
}) {
  const ids = useId();
  const [campaign, setCampaign] = useState(campaigns[0]?.slug ?? '');
  const [member, setMember] = useState(members[0]?.slug ?? '');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  if (campaigns.length === 0)
    return <p className="muted card-form">There are no campaigns yet; turf is assigned for a campaign, and an alliance admin creates them.</p>;
  if (members.length === 0) return <p className="muted card-form">There are no member organizations to assign turf to yet.</p>;

  async function send(skipConflicts: boolean) {
    setPending(true);
    setError(null);
    try {
      const assignment = await assignTurf(turf.id, campaign, member, skipConflicts);
      setConflict(null);
      onChanged(
        `“${turf.name}” is assigned to ${assignment.organization.name} for ${assignment.campaign.name}: ${formatQuantity(assignment.voterCount, 'voter')}.`,
      );
    } catch (failure) {
      const found = conflictOf(failure);
      if (found !== null && found.assignable > 0 && !skipConflicts) setConflict(found);
      else {
        setConflict(null);
        setError(describeError(failure));
      }
      setPending(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send(false);
  }

  const change = (apply: () => void) => {
    apply();
    setConflict(null);
    setError(null);
  };

  return (
    <form id={id} className="card-form" aria-label={`Assign ${turf.name}`} onSubmit={submit} noValidate>
      <SelectField id={`${ids}-member`} label="Member organization" value={member} onChange={(value) => change(() => setMember(value))}>
        <SlugOptions choices={members} />
      </SelectField>
      <SelectField id={`${ids}-campaign`} label="Campaign" value={campaign} onChange={(value) => change(() => setCampaign(value))}>
        <SlugOptions choices={campaigns} />
      </SelectField>
      <SubmitRow pending={pending} label="Assign" pendingLabel="Assigning…" />
      {conflict !== null && (
        <div role="alert" className="conflict card-form-message">
          <p>
            {formatQuantity(conflict.conflicting, 'voter')} {conflict.conflicting === 1 ? 'is' : 'are'} already in another organization&rsquo;s turf for this
            campaign; assign the other {formatCount(conflict.assignable)}?
          </p>
          <button type="button" onClick={() => void send(true)} disabled={pending}>
            Assign the other {formatCount(conflict.assignable)}
          </button>
        </div>
      )}
      <FormError error={error} className="form-error card-form-message" />
    </form>
  );
}
